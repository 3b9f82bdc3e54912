import { sql } from 'kysely';
import { accountMemberIds } from './accounts.js';
import { assertUuid, isUuid } from './ids.js';
import {
  ACTIVE_VIDEO_STATUSES,
  type NewVideo,
  TERMINAL_VIDEO_STATUSES,
  VIDEO_STATUSES,
  type VideoRow,
  type VideoStatus,
  type VideoUpdate,
} from './schema.js';
import { type Db, jsonb } from './sql-helpers.js';

export interface InsertVideoResult {
  video: VideoRow;
  /** False when a video with the same (user, idempotency key) already existed and was returned instead. */
  created: boolean;
}

export interface ListVideosOptions {
  /** 1–100, default 20. */
  limit?: number;
}

export interface SetVideoStatusOptions {
  /** Percent complete, 0–100. */
  progress?: number;
  stageMessage?: string | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  /** Compare-and-set: change nothing (and return undefined) unless the current status is one of these. */
  onlyFrom?: readonly VideoStatus[];
}

function encodeJson<T extends VideoUpdate>(row: T) {
  return {
    ...row,
    plan: jsonb(row.plan),
    options: jsonb(row.options),
    origin: jsonb(row.origin),
    progress_detail: jsonb(row.progress_detail),
  };
}

/**
 * Inserts a video. Idempotent per (user_id, idempotency_key): a repeat returns the first video
 * with `created: false`. @throws UserError `invalid_id` when `user_id` is not a UUID.
 */
export async function insertVideo(db: Db, row: NewVideo): Promise<InsertVideoResult> {
  assertUuid(row.user_id, 'user');
  const inserted = await db
    .insertInto('videos')
    .values(encodeJson(row))
    .onConflict((oc) => oc.columns(['user_id', 'idempotency_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { video: inserted, created: true };
  const existing = await db
    .selectFrom('videos')
    .selectAll()
    .where('user_id', '=', row.user_id)
    .where('idempotency_key', '=', row.idempotency_key ?? null)
    .executeTakeFirstOrThrow();
  return { video: existing, created: false };
}

/** The video with this id, whoever owns it; undefined when absent or not a UUID. */
export async function findVideoById(db: Db, id: string): Promise<VideoRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db.selectFrom('videos').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The video only if `userId`'s account owns it (the user or an identity linked to it, see accounts.ts):
 * another user's video is indistinguishable from a missing one.
 */
export async function findVideoForUser(db: Db, userId: string, id: string): Promise<VideoRow | undefined> {
  if (!isUuid(id) || !isUuid(userId)) return undefined;
  return db
    .selectFrom('videos')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', 'in', accountMemberIds(db, userId))
    .executeTakeFirst();
}

/**
 * The newest render of preview `previewId` made from its take `takeId` that has not failed or been
 * cancelled: rendering an unchanged preview again returns it (a double click pays once).
 */
export async function findLiveRenderOfTake(
  db: Db,
  previewId: string,
  takeId: string | null,
): Promise<VideoRow | undefined> {
  if (!isUuid(previewId)) return undefined;
  return db
    .selectFrom('videos')
    .selectAll()
    .where('preview_of', '=', previewId)
    .where('status', 'not in', ['failed', 'cancelled'])
    .where(sql<boolean>`options->>'renderedFromTakeId' is not distinct from ${takeId}`)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The videos of a user's account (its own and its linked identities'), newest first. */
export async function listVideosForUser(db: Db, userId: string, options: ListVideosOptions = {}): Promise<VideoRow[]> {
  if (!isUuid(userId)) return [];
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 20), 1), 100);
  return db
    .selectFrom('videos')
    .selectAll()
    .where('user_id', 'in', accountMemberIds(db, userId))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Applies `patch`; returns the updated row, or undefined when there is no such video. */
export async function updateVideo(db: Db, id: string, patch: VideoUpdate): Promise<VideoRow | undefined> {
  assertUuid(id, 'video');
  if (Object.keys(patch).length === 0) return findVideoById(db, id);
  return db.updateTable('videos').set(encodeJson(patch)).where('id', '=', id).returningAll().executeTakeFirst();
}

/**
 * Moves a video to `status`, stamping `finished_at` when the status is terminal (and clearing it
 * otherwise, e.g. a ready video being regenerated). Returns undefined when the video is absent or
 * `onlyFrom` did not match.
 */
export async function setVideoStatus(
  db: Db,
  id: string,
  status: VideoStatus,
  options: SetVideoStatusOptions = {},
): Promise<VideoRow | undefined> {
  assertUuid(id, 'video');
  if (options.onlyFrom?.length === 0) return undefined;
  const terminal = (TERMINAL_VIDEO_STATUSES as readonly string[]).includes(status);
  let query = db
    .updateTable('videos')
    .set({
      status,
      finished_at: terminal ? sql<Date>`now()` : null,
      ...(options.progress !== undefined && { progress: options.progress }),
      ...(options.stageMessage !== undefined && { stage_message: options.stageMessage }),
      ...(options.errorCode !== undefined && { error_code: options.errorCode }),
      ...(options.errorMessage !== undefined && { error_message: options.errorMessage }),
    })
    .where('id', '=', id);
  if (options.onlyFrom) query = query.where('status', 'in', options.onlyFrom);
  return query.returningAll().executeTakeFirst();
}

/** How many of a user's videos are not yet ready, failed or cancelled (queued and awaiting approval count). */
export async function countActiveVideosForUser(db: Db, userId: string): Promise<number> {
  if (!isUuid(userId)) return 0;
  const { count } = await db
    .selectFrom('videos')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('user_id', '=', userId)
    .where('status', 'in', ACTIVE_VIDEO_STATUSES)
    .executeTakeFirstOrThrow();
  return count;
}

/** The stages a working video moves through, in order (a stage change never goes back). */
export const WORKING_STAGES: readonly VideoStatus[] = [
  'queued',
  'planning',
  'storyboarding',
  'generating',
  'stitching',
  'scoring',
];

/**
 * Moves a working video forward to `stage` (from an earlier working stage only: never back, never
 * out of a terminal status or `awaiting_approval`). Returns the row when it moved.
 */
export async function advanceVideoStage(
  db: Db,
  id: string,
  stage: VideoStatus,
  options: { stageMessage?: string | null; progress?: number } = {},
): Promise<VideoRow | undefined> {
  const at = WORKING_STAGES.indexOf(stage);
  if (at <= 0) return undefined;
  return db
    .updateTable('videos')
    .set({
      status: stage,
      ...(options.stageMessage !== undefined && { stage_message: options.stageMessage }),
      ...(options.progress !== undefined && {
        progress: sql<number>`greatest(progress, ${options.progress})`,
      }),
    })
    .where('id', '=', id)
    .where('status', 'in', WORKING_STAGES.slice(0, at))
    .returningAll()
    .executeTakeFirst();
}

/**
 * Records a working video's progress: percent (never lowered) and details merged into
 * `progress_detail`. A video that is not working (ready, failed, cancelled) is left alone.
 */
export async function recordVideoProgress(
  db: Db,
  id: string,
  progress: { percent?: number; detail?: Record<string, unknown>; stageMessage?: string | null },
): Promise<VideoRow | undefined> {
  return db
    .updateTable('videos')
    .set({
      ...(progress.percent !== undefined && { progress: sql<number>`greatest(progress, ${progress.percent})` }),
      ...(progress.detail && {
        progress_detail: sql<Record<string, unknown>>`progress_detail || ${jsonb(progress.detail)}`,
      }),
      ...(progress.stageMessage !== undefined && { stage_message: progress.stageMessage }),
    })
    .where('id', '=', id)
    .where('status', 'in', WORKING_STAGES)
    .returningAll()
    .executeTakeFirst();
}

/** Every status but `cancelled`: a cancelled video is never brought back by work still unwinding. */
export const NOT_CANCELLED: readonly VideoStatus[] = VIDEO_STATUSES.filter((status) => status !== 'cancelled');
