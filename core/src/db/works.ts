import { sql } from 'kysely';
import { assertUuid, isUuid } from './ids.js';
import type { NewWork, RunnerKind, WorkRow, WorkStatus } from './schema.js';
import { type Db, inTransaction, jsonb } from './sql-helpers.js';

/** A work to record; its `seq` is assigned by insertWork. */
export type NewWorkParams = Omit<NewWork, 'seq' | 'status'>;

/** Work statuses that still have something to do. */
export const OPEN_WORK_STATUSES: readonly WorkStatus[] = ['waiting', 'running'];

/**
 * Records a work `waiting` in its owner's line, numbered 1, 2, 3… per video (a video's works are
 * serialised by a lock on the video row, so concurrent calls get distinct numbers).
 */
export async function insertWork(db: Db, row: NewWorkParams): Promise<WorkRow> {
  assertUuid(row.user_id, 'user');
  return inTransaction(db, async (trx) => {
    let seq = 1;
    if (row.video_id) {
      await trx.selectFrom('videos').select('id').where('id', '=', row.video_id).forNoKeyUpdate().executeTakeFirst();
      const last = await trx
        .selectFrom('works')
        .select(sql<number>`coalesce(max(seq), 0)`.as('seq'))
        .where('video_id', '=', row.video_id)
        .executeTakeFirstOrThrow();
      seq = Number(last.seq) + 1;
    }
    return trx
      .insertInto('works')
      .values({ ...row, seq, status: 'waiting', params: jsonb(row.params) })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export async function findWorkById(db: Db, id: string): Promise<WorkRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db.selectFrom('works').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks the work's row until the transaction ends (one advance of a work at a time). */
export async function lockWork(db: Db, id: string): Promise<WorkRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db.selectFrom('works').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The video's newest work. */
export async function findLatestWorkForVideo(db: Db, videoId: string): Promise<WorkRow | undefined> {
  if (!isUuid(videoId)) return undefined;
  return db
    .selectFrom('works')
    .selectAll()
    .where('video_id', '=', videoId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The video's works still waiting or running, oldest first. */
export async function listOpenWorksForVideo(db: Db, videoId: string): Promise<WorkRow[]> {
  if (!isUuid(videoId)) return [];
  return db
    .selectFrom('works')
    .selectAll()
    .where('video_id', '=', videoId)
    .where('status', 'in', OPEN_WORK_STATUSES)
    .orderBy('seq')
    .execute();
}

export interface SetWorkStatusOptions {
  /** Compare-and-set: change nothing (and return undefined) unless the status is one of these. */
  onlyFrom?: readonly WorkStatus[];
  errorCode?: string | null;
  errorMessage?: string | null;
}

/** Moves a work to `status`, stamping `started_at` (running) or `finished_at` (an end). */
export async function setWorkStatus(
  db: Db,
  id: string,
  status: WorkStatus,
  options: SetWorkStatusOptions = {},
): Promise<WorkRow | undefined> {
  assertUuid(id, 'work');
  let query = db
    .updateTable('works')
    .set({
      status,
      ...(status === 'running' ? { started_at: sql<Date>`now()` } : {}),
      ...(status !== 'running' && status !== 'waiting' ? { finished_at: sql<Date>`now()` } : {}),
      ...(options.errorCode !== undefined && { error_code: options.errorCode }),
      ...(options.errorMessage !== undefined && { error_message: options.errorMessage }),
    })
    .where('id', '=', id);
  if (options.onlyFrom) query = query.where('status', 'in', options.onlyFrom);
  return query.returningAll().executeTakeFirst();
}

/** How many of a user's video works are running (what the per-user limit counts). */
export async function countRunningVideoWorks(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('works')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('status', '=', 'running')
    .where('video_id', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A user's waiting works in line order (oldest first). */
export async function listWaitingWorksForUser(db: Db, userId: string): Promise<WorkRow[]> {
  return db
    .selectFrom('works')
    .selectAll()
    .where('user_id', '=', userId)
    .where('status', '=', 'waiting')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Works of one runner in `status` (recovery sweeps), oldest first. */
export async function listWorksByStatus(
  db: Db,
  status: WorkStatus,
  runner: RunnerKind,
  limit = 500,
): Promise<WorkRow[]> {
  return db
    .selectFrom('works')
    .selectAll()
    .where('status', '=', status)
    .where('runner', '=', runner)
    .orderBy('created_at')
    .limit(limit)
    .execute();
}
