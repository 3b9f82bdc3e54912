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
 * The user's task `id` with its work, or undefined: another user's, an expired or a malformed id
 * reads exactly like a missing one.
 */
export async function findMcpTaskForUser(db: Db, userId: string, id: string): Promise<McpTaskWithWork | undefined> {
  if (!isUuid(id) || !isUuid(userId)) return undefined;
  const row = await db
    .selectFrom('mcp_tasks as t')
    .leftJoin('works as w', (join) => join.onRef('w.video_id', '=', 't.video_id').onRef('w.seq', '=', 't.work_seq'))
    .selectAll('t')
    .select(['w.status as work_status', 'w.finished_at as work_finished_at'])
    .select(
      sql<number>`(select coalesce(max(seq), 0) from works where works.video_id = t.video_id)`.as('latest_work_seq'),
    )
    .where('t.id', '=', id.toLowerCase())
    .where('t.user_id', '=', userId)
    .where((eb) => eb.or([eb('t.expires_at', 'is', null), eb('t.expires_at', '>', sql<Date>`now()`)]))
    .executeTakeFirst();
  return row ? { ...row, latest_work_seq: Number(row.latest_work_seq) } : undefined;
}

/**
 * One page of the user's live tasks, newest first, after the task `afterId` (a cursor: the last id
 * of the previous page). @returns undefined when `afterId` is not one of the user's live tasks.
 */
export async function listMcpTasksForUser(
  db: Db,
  userId: string,
  options: { afterId?: string | undefined; limit: number },
): Promise<McpTaskRow[] | undefined> {
  if (options.afterId !== undefined && !(await findMcpTaskForUser(db, userId, options.afterId))) return undefined;
  let query = db
    .selectFrom('mcp_tasks')
    .selectAll()
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', sql<Date>`now()`)]));
  if (options.afterId !== undefined) {
    query = query.where(
      sql<boolean>`(created_at, id) < (select created_at, id from mcp_tasks where id = ${options.afterId.toLowerCase()})`,
    );
  }
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
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
