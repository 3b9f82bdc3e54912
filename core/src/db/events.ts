import { sql } from 'kysely';
import { isUuid } from './ids.js';
import type { EventRow, JsonObject } from './schema.js';
import { type Db, inTransaction, jsonb } from './sql-helpers.js';

export interface NewEventParams {
  id: string;
  video_id: string;
  kind: string;
  payload: JsonObject;
  notify_queue: string | null;
}

/**
 * Stores an event once: a second insert of the same id changes nothing and returns undefined. Its
 * `seq` is the video's next number, taken under a lock on the video row, so a video's events are
 * numbered in the order they commit and a reader following `seq` never skips one. Its `percent` is
 * the video's stored progress at that moment (which only rises within a run), so percents read in
 * `seq` order never go back, however many processes emit at once.
 */
export async function insertEvent(db: Db, row: NewEventParams): Promise<EventRow | undefined> {
  return inTransaction(db, async (trx) => {
    const video = await trx
      .selectFrom('videos')
      .select('progress')
      .where('id', '=', row.video_id)
      .forNoKeyUpdate()
      .executeTakeFirst();
    const payload = video ? { ...row.payload, percent: Math.round(video.progress) } : row.payload;
    const next = trx
      .selectFrom('events')
      .select(sql<number>`coalesce(max(seq), 0) + 1`.as('next'))
      .where('video_id', '=', row.video_id);
    return trx
      .insertInto('events')
      .values({ ...row, seq: next, payload: jsonb(payload) })
      .onConflict((oc) => oc.column('id').doNothing())
      .returningAll()
      .executeTakeFirst();
  });
}

export async function findEvent(db: Db, id: string): Promise<EventRow | undefined> {
  return db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A video's events after `seq`, in order. */
export async function listEventsAfter(db: Db, videoId: string, seq: number, limit = 200): Promise<EventRow[]> {
  if (!isUuid(videoId)) return [];
  return db
    .selectFrom('events')
    .selectAll()
    .where('video_id', '=', videoId)
    .where('seq', '>', seq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** A video's newest event; undefined when it has none. */
export async function findLatestEvent(db: Db, videoId: string): Promise<EventRow | undefined> {
  if (!isUuid(videoId)) return undefined;
  return db
    .selectFrom('events')
    .selectAll()
    .where('video_id', '=', videoId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The newest event's `seq` of a video; 0 when it has none. */
export async function latestEventSeq(db: Db, videoId: string): Promise<number> {
  if (!isUuid(videoId)) return 0;
  const row = await db
    .selectFrom('events')
    .select(sql<number>`coalesce(max(seq), 0)`.as('seq'))
    .where('video_id', '=', videoId)
    .executeTakeFirstOrThrow();
  return Number(row.seq);
}

/** Notes that the event was handed to its notification queue. */
export async function markEventQueued(db: Db, id: string): Promise<void> {
  await db.updateTable('events').set({ queued_at: sql<Date>`now()` }).where('id', '=', id).execute();
}

/** True once a consumer of the event's queue has handled it (a redelivered job is then skipped). */
export async function isEventNotified(db: Db, id: string): Promise<boolean> {
  const row = await db.selectFrom('events').select('notified_at').where('id', '=', id).executeTakeFirst();
  return row?.notified_at != null;
}

export async function markEventNotified(db: Db, id: string): Promise<void> {
  await db.updateTable('events').set({ notified_at: sql<Date>`now()` }).where('id', '=', id).execute();
}

/** Events that should have reached a notification queue but did not (a crash in between), oldest first. */
export async function listUnqueuedEvents(db: Db, olderThan: Date, limit = 200): Promise<EventRow[]> {
  return db
    .selectFrom('events')
    .selectAll()
    .where('notify_queue', 'is not', null)
    .where('queued_at', 'is', null)
    .where('created_at', '<', olderThan)
    .orderBy('created_at')
    .limit(limit)
    .execute();
}
