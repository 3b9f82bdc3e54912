import { sql } from 'kysely';
import { accountMemberIds } from './accounts.js';
import { assertUuid, isUuid } from './ids.js';
import type { LedgerRow, NewLedgerEntry } from './schema.js';
import type { Db } from './sql-helpers.js';

/** A video's cost in US dollars. */
export interface VideoCostSummary {
  /** Sum of the estimates recorded before each call. */
  estimatedUsd: number;
  /** Sum of the actual costs recorded so far (entries without one count 0). */
  actualUsd: number;
  /** Sum of what the chosen models would have cost (animatic previews). */
  wouldCostUsd: number;
}

/**
 * Records a paid (or previewed) call, with its estimate, before the call is made. One row per step
 * key (unique): a second insert for the same key returns the first row unchanged.
 */
export async function insertLedgerEntry(db: Db, entry: NewLedgerEntry): Promise<LedgerRow> {
  assertUuid(entry.user_id, 'user');
  const inserted = await db
    .insertInto('ledger')
    .values(entry)
    .onConflict((oc) => oc.column('step_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  return (
    inserted ??
    (await db.selectFrom('ledger').selectAll().where('step_key', '=', entry.step_key).executeTakeFirstOrThrow())
  );
}

/** The ledger row reserved for a step, if any. */
export async function findLedgerEntryByStepKey(db: Db, stepKey: string): Promise<LedgerRow | undefined> {
  return db.selectFrom('ledger').selectAll().where('step_key', '=', stepKey).executeTakeFirst();
}

/** Settles an entry with what the call really cost and produced. */
export async function settleLedgerEntry(
  db: Db,
  id: string,
  settled: { actualUsd: number; wouldCostUsd: number | null; quantity: number },
): Promise<void> {
  assertUuid(id, 'ledger entry');
  await db
    .updateTable('ledger')
    .set({ actual_usd: settled.actualUsd, would_cost_usd: settled.wouldCostUsd, quantity: settled.quantity })
    .where('id', '=', id)
    .execute();
}

/** The actual cost of every entry whose step key starts with `prefix` (a scene version's chunks). */
export async function sumActualForStepPrefix(db: Db, prefix: string): Promise<number> {
  const row = await db
    .selectFrom('ledger')
    .select(sql<number>`coalesce(sum(actual_usd), 0)`.as('total'))
    .where('step_key', 'like', `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

/** Records the actual cost of an entry once the provider reported it. */
export async function recordLedgerActual(db: Db, id: string, actualUsd: number): Promise<LedgerRow | undefined> {
  assertUuid(id, 'ledger entry');
  return db.updateTable('ledger').set({ actual_usd: actualUsd }).where('id', '=', id).returningAll().executeTakeFirst();
}

/** Sums a video's ledger entries; zeros for a video without any. */
export async function sumLedgerForVideo(db: Db, videoId: string): Promise<VideoCostSummary> {
  if (!isUuid(videoId)) return { estimatedUsd: 0, actualUsd: 0, wouldCostUsd: 0 };
  return db
    .selectFrom('ledger')
    .select([
      sql<number>`coalesce(sum(estimated_usd), 0)`.as('estimatedUsd'),
      sql<number>`coalesce(sum(actual_usd), 0)`.as('actualUsd'),
      sql<number>`coalesce(sum(would_cost_usd), 0)`.as('wouldCostUsd'),
    ])
    .where('video_id', '=', videoId)
    .executeTakeFirstOrThrow();
}

/**
 * The spend of a user's account (the user and every identity linked to it: one person, one budget)
 * since `since` (inclusive), in US dollars, for budget checks: each entry counts its actual cost
 * when known, else its estimate.
 */
export async function sumSpendForUserSince(db: Db, userId: string, since: Date): Promise<number> {
  if (!isUuid(userId)) return 0;
  const { spent } = await db
    .selectFrom('ledger')
    .select(sql<number>`coalesce(sum(coalesce(actual_usd, estimated_usd)), 0)`.as('spent'))
    .where('user_id', 'in', accountMemberIds(db, userId))
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return spent;
}
