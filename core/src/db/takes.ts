import { sql } from 'kysely';
import { UserError } from '../errors.js';
import { assertUuid, isUuid } from './ids.js';
import type { NewTake, TakeRow } from './schema.js';
import { type Db, inTransaction } from './sql-helpers.js';

/** A new take; its `number` is assigned by insertTake. */
export type NewTakeParams = Omit<NewTake, 'number'>;

/**
 * Records the next take (1, 2, 3…) of a video and makes it the video's current take, in one
 * transaction. Concurrent calls for one video are serialised by a lock on the video row.
 * @throws UserError `invalid_id` / `not_found` when the video id is malformed or absent.
 */
export async function insertTake(db: Db, row: NewTakeParams): Promise<TakeRow> {
  assertUuid(row.video_id, 'video');
  for (const id of row.clip_version_ids ?? []) assertUuid(id, 'clip version');
  return inTransaction(db, async (trx) => {
    const video = await trx
      .selectFrom('videos')
      .select('id')
      .where('id', '=', row.video_id)
      .forNoKeyUpdate()
      .executeTakeFirst();
    if (!video) throw new UserError('not_found', `Video ${row.video_id} does not exist.`);
    const nextNumber = trx
      .selectFrom('takes')
      .select(sql<number>`coalesce(max(number), 0) + 1`.as('next'))
      .where('video_id', '=', row.video_id);
    const take = await trx
      .insertInto('takes')
      .values({ ...row, number: nextNumber })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx.updateTable('videos').set({ current_take_id: take.id }).where('id', '=', row.video_id).execute();
    return take;
  });
}

/** The video's newest take. */
export async function findLatestTake(db: Db, videoId: string): Promise<TakeRow | undefined> {
  if (!isUuid(videoId)) return undefined;
  return db
    .selectFrom('takes')
    .selectAll()
    .where('video_id', '=', videoId)
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The take with this id. */
export async function findTakeById(db: Db, id: string): Promise<TakeRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db.selectFrom('takes').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The take a stitch step made, if it got that far (a re-run returns it instead of adding one). */
export async function findTakeByStepKey(db: Db, stepKey: string): Promise<TakeRow | undefined> {
  return db.selectFrom('takes').selectAll().where('step_key', '=', stepKey).executeTakeFirst();
}
