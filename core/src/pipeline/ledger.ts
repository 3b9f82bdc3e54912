import { insertLedgerEntry } from '../db/ledger.js';
import type { LedgerKind, LedgerRow } from '../db/schema.js';
import { estimateCallCost } from '../models/estimate.js';
import type { ModelSpec } from '../models/types.js';
import type { GeneratedFile } from '../providers/types.js';
import { assertWithinBudget, withUserLock } from './budget.js';
import type { StepContext } from './context.js';

export interface Reservation {
  kind: LedgerKind;
  model: ModelSpec;
  /** What one call is expected to produce, for the estimate: output seconds or images. */
  outputSeconds?: number;
  images?: number;
}

/**
 * Before a generation: one ledger row per step key with the call's estimate, written under the
 * user's row lock after checking the daily budget, so concurrent steps can never overspend. A
 * re-run step finds its row and reserves nothing twice. The animatic reserves 0 and records in
 * `would_cost_usd` what the chosen model would have charged.
 */
export async function reserveGeneration(ctx: StepContext, reservation: Reservation): Promise<LedgerRow> {
  const { db, providers, budget } = ctx.deps;
  const existing = await db.selectFrom('ledger').selectAll().where('step_key', '=', ctx.stepKey).executeTakeFirst();
  if (existing) return existing;
  const modelCost = estimateCallCost(reservation.model, {
    ...(reservation.outputSeconds !== undefined ? { outputSeconds: reservation.outputSeconds } : {}),
    ...(reservation.images !== undefined ? { images: reservation.images } : {}),
    runs: 1,
  });
  const paid = providers.name !== 'animatic';
  const estimatedUsd = paid ? modelCost : 0;
  return withUserLock(db, ctx.video.user_id, async (trx) => {
    if (paid) await assertWithinBudget(trx, ctx.video.user_id, estimatedUsd, budget.dailyUsd);
    return insertLedgerEntry(trx, {
      user_id: ctx.video.user_id,
      video_id: ctx.video.id,
      step_key: ctx.stepKey,
      provider: providers.name,
      model_key: reservation.model.key,
      kind: reservation.kind,
      unit: reservation.model.cost.unit === 'second' ? 'second' : 'run',
      quantity: reservation.model.cost.unit === 'second' ? (reservation.outputSeconds ?? 0) : (reservation.images ?? 1),
      estimated_usd: estimatedUsd,
      would_cost_usd: modelCost,
    });
  });
}

/** After the generation: the actual cost and quantity from what the provider returned. */
export async function settleGeneration(
  ctx: StepContext,
  row: LedgerRow,
  files: readonly GeneratedFile[],
): Promise<void> {
  const actual = files.reduce((sum, file) => sum + file.costUsd, 0);
  const wouldCost = files.reduce((sum, file) => sum + (file.wouldCostUsd ?? file.costUsd), 0);
  const quantity =
    row.unit === 'second' ? files.reduce((sum, file) => sum + (file.durationS ?? 0), 0) || row.quantity : files.length;
  await ctx.deps.db
    .updateTable('ledger')
    .set({ actual_usd: actual, would_cost_usd: wouldCost || row.would_cost_usd, quantity })
    .where('id', '=', row.id)
    .execute();
}
