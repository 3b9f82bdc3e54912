import { sql } from 'kysely';
import type { StepRow, StepStatus } from './schema.js';
import { type Db, jsonb } from './sql-helpers.js';

/** Step statuses that are final: the node will not run again in this work. */
export const SETTLED_STEP_STATUSES: readonly StepStatus[] = ['succeeded', 'failed', 'skipped'];

/** One node to record before it is handed to a runner. */
export interface NewStepParams {
  key: string;
  work_id: string;
  name: string;
  status: 'queued' | 'skipped';
  error_message?: string | null;
}

/** A work's stored step outcomes. */
export async function listSteps(db: Db, workId: string): Promise<StepRow[]> {
  return db.selectFrom('steps').selectAll().where('work_id', '=', workId).execute();
}

export async function findStep(db: Db, key: string): Promise<StepRow | undefined> {
  return db.selectFrom('steps').selectAll().where('key', '=', key).executeTakeFirst();
}

/** The stored rows of these keys (outputs of a node's dependencies). */
export async function findSteps(db: Db, keys: readonly string[]): Promise<StepRow[]> {
  if (keys.length === 0) return [];
  return db
    .selectFrom('steps')
    .selectAll()
    .where('key', 'in', [...keys])
    .execute();
}

/** Records nodes as queued (or skipped); rows that exist already are left as they are. */
export async function insertSteps(db: Db, rows: readonly NewStepParams[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('steps')
    .values(
      rows.map((row) => ({
        ...row,
        ...(row.status === 'skipped' ? { finished_at: sql<Date>`now()` } : {}),
      })),
    )
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

/**
 * Marks an attempt started (creating the row when a runner skipped `insertSteps`), unless the step
 * already settled. Returns the row as it now is; a settled row is returned unchanged.
 */
export async function markStepRunning(
  db: Db,
  params: { key: string; workId: string; name: string; runnerId: string },
): Promise<StepRow> {
  await db
    .insertInto('steps')
    .values({ key: params.key, work_id: params.workId, name: params.name, status: 'queued' })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const running = await db
    .updateTable('steps')
    .set((eb) => ({
      status: 'running',
      attempts: eb('attempts', '+', 1),
      runner_id: params.runnerId,
      started_at: sql<Date>`now()`,
    }))
    .where('key', '=', params.key)
    .where('status', 'in', ['queued', 'running'])
    .returningAll()
    .executeTakeFirst();
  return running ?? (await db.selectFrom('steps').selectAll().where('key', '=', params.key).executeTakeFirstOrThrow());
}

/** The step succeeded with `output` (JSON). */
export async function recordStepSucceeded(db: Db, key: string, output: unknown): Promise<void> {
  await db
    .updateTable('steps')
    .set({
      status: 'succeeded',
      output: jsonb(output ?? null),
      error_code: null,
      error_message: null,
      finished_at: sql<Date>`now()`,
    })
    .where('key', '=', key)
    .execute();
}

/** The step failed for good (no attempt left, or an error another attempt cannot fix). */
export async function recordStepFailed(db: Db, key: string, error: { code: string; message: string }): Promise<void> {
  await db
    .updateTable('steps')
    .set({ status: 'failed', error_code: error.code, error_message: error.message, finished_at: sql<Date>`now()` })
    .where('key', '=', key)
    .where('status', 'not in', ['succeeded', 'skipped'])
    .execute();
}

/** An attempt failed and another will follow: back to queued, keeping what went wrong. */
export async function recordStepRetrying(db: Db, key: string, message: string): Promise<void> {
  await db
    .updateTable('steps')
    .set({ status: 'queued', error_message: message })
    .where('key', '=', key)
    .where('status', '=', 'running')
    .execute();
}

/** Puts a running attempt back to queued without blame (handed back at shutdown, rate-limited). */
export async function requeueStep(db: Db, key: string): Promise<void> {
  await db
    .updateTable('steps')
    .set((eb) => ({ status: 'queued', attempts: eb('attempts', '-', 1) }))
    .where('key', '=', key)
    .where('status', '=', 'running')
    .execute();
}

/** Steps of these works that are queued or running, with their status (what a cancel must stop). */
export async function listOpenSteps(
  db: Db,
  workIds: readonly string[],
): Promise<Array<{ key: string; status: StepStatus }>> {
  if (workIds.length === 0) return [];
  return db
    .selectFrom('steps')
    .select(['key', 'status'])
    .where('work_id', 'in', [...workIds])
    .where('status', 'in', ['queued', 'running'])
    .execute();
}
