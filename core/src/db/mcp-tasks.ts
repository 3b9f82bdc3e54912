import { sql } from 'kysely';
import { assertUuid, isUuid } from './ids.js';
import type { McpTaskRow, McpTaskStatus, WorkStatus } from './schema.js';
import type { Db } from './sql-helpers.js';

export interface NewMcpTaskParams {
  id: string;
  user_id: string;
  video_id: string | null;
  verb: string;
  work_seq: number | null;
  status?: McpTaskStatus;
  status_message?: string | null;
  error_code?: string | null;
  error_message?: string | null;
  /** Retention from creation in ms; null keeps the task until it is deleted by hand. */
  ttl_ms: number | null;
  poll_interval_ms: number;
}

/** A task with the work it follows: its status, and the video's newest work number. */
export interface McpTaskWithWork extends McpTaskRow {
  /** Null when the task follows no work (or the work is gone). */
  work_status: WorkStatus | null;
  /** When that work ended; null while it waits or runs. */
  work_finished_at: Date | null;
  /** The video's newest work number; 0 when it has none. */
  latest_work_seq: number;
}

/** Stores a task; `expires_at` is the database's now() + ttl, so every replica agrees on it. */
export async function insertMcpTask(db: Db, row: NewMcpTaskParams): Promise<McpTaskRow> {
  assertUuid(row.user_id, 'user');
  return db
    .insertInto('mcp_tasks')
    .values({
      ...row,
      expires_at: row.ttl_ms === null ? null : sql<Date>`now() + ${row.ttl_ms} * interval '1 millisecond'`,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The user's live (unexpired) tasks, each with the work it follows: one query for `find` and `list`,
 * so a listed task needs no second read before its status is derived.
 */
function liveTasksWithWork(db: Db, userId: string) {
  return db
    .selectFrom('mcp_tasks as t')
    .leftJoin('works as w', (join) => join.onRef('w.video_id', '=', 't.video_id').onRef('w.seq', '=', 't.work_seq'))
    .selectAll('t')
    .select(['w.status as work_status', 'w.finished_at as work_finished_at'])
    .select(
      sql<number>`(select coalesce(max(seq), 0) from works where works.video_id = t.video_id)`.as('latest_work_seq'),
    )
    .where('t.user_id', '=', userId)
    .where((eb) => eb.or([eb('t.expires_at', 'is', null), eb('t.expires_at', '>', sql<Date>`now()`)]));
}

/** `latest_work_seq` arrives as a bigint string from some drivers. */
const withWorkSeq = <T extends { latest_work_seq: number | string }>(row: T) => ({
  ...row,
  latest_work_seq: Number(row.latest_work_seq),
});

/**
 * The user's task `id` with its work, or undefined: another user's, an expired or a malformed id
 * reads exactly like a missing one.
 */
export async function findMcpTaskForUser(db: Db, userId: string, id: string): Promise<McpTaskWithWork | undefined> {
  if (!isUuid(id) || !isUuid(userId)) return undefined;
  const row = await liveTasksWithWork(db, userId).where('t.id', '=', id.toLowerCase()).executeTakeFirst();
  return row ? withWorkSeq(row) : undefined;
}

/**
 * One page of the user's live tasks with their work, newest first, after the task `afterId` (a
 * cursor: the last id of the previous page). @returns undefined when `afterId` is not one of the
 * user's live tasks.
 */
export async function listMcpTasksForUser(
  db: Db,
  userId: string,
  options: { afterId?: string | undefined; limit: number },
): Promise<McpTaskWithWork[] | undefined> {
  if (options.afterId !== undefined && !(await findMcpTaskForUser(db, userId, options.afterId))) return undefined;
  let query = liveTasksWithWork(db, userId);
  if (options.afterId !== undefined) {
    query = query.where(
      sql<boolean>`(t.created_at, t.id) < (select created_at, id from mcp_tasks where id = ${options.afterId.toLowerCase()})`,
    );
  }
  const rows = await query.orderBy('t.created_at', 'desc').orderBy('t.id', 'desc').limit(options.limit).execute();
  return rows.map(withWorkSeq);
}

/**
 * Ends a working task with `status` (compare-and-set: a task that already ended keeps its end and
 * undefined is returned).
 */
export async function endMcpTask(
  db: Db,
  id: string,
  status: Exclude<McpTaskStatus, 'working'>,
  statusMessage: string | null,
): Promise<McpTaskRow | undefined> {
  return db
    .updateTable('mcp_tasks')
    .set({ status, status_message: statusMessage })
    .where('id', '=', id)
    .where('status', '=', 'working')
    .returningAll()
    .executeTakeFirst();
}

/** Ends every working task of a video as cancelled (its video was cancelled); returns how many. */
export async function cancelMcpTasksOfVideo(db: Db, videoId: string, statusMessage: string): Promise<number> {
  const rows = await db
    .updateTable('mcp_tasks')
    .set({ status: 'cancelled', status_message: statusMessage })
    .where('video_id', '=', videoId)
    .where('status', '=', 'working')
    .returning('id')
    .execute();
  return rows.length;
}

/** Deletes tasks whose ttl ran out (at most `limit` per call); returns how many. */
export async function deleteExpiredMcpTasks(db: Db, limit = 500): Promise<number> {
  const rows = await db
    .deleteFrom('mcp_tasks')
    .where('id', 'in', db.selectFrom('mcp_tasks').select('id').where('expires_at', '<=', sql<Date>`now()`).limit(limit))
    .returning('id')
    .execute();
  return rows.length;
}
