import { insertLedgerEntry } from '../db/ledger.js';
import type { LedgerKind } from '../db/schema.js';
import type { ModelSpec } from '../models/types.js';
import type { GeneratedFile } from '../providers/types.js';
import type { StepContext } from './context.js';

/**
 * Records one generation in the ledger, once per step key (a re-run step does not double-count).
 * Paid providers record what they were charged; the animatic records 0 and, in
 * `would_cost_usd`, what the chosen model would have cost.
 */
export async function recordGeneration(
  ctx: StepContext,
  entry: { kind: LedgerKind; model: ModelSpec; files: readonly GeneratedFile[]; estimatedUsd: number },
): Promise<void> {
  const existing = await ctx.deps.db
    .selectFrom('ledger')
    .select('id')
    .where('step_key', '=', ctx.stepKey)
    .executeTakeFirst();
  if (existing) return;
  const actual = entry.files.reduce((sum, file) => sum + file.costUsd, 0);
  const wouldCost = entry.files.reduce((sum, file) => sum + (file.wouldCostUsd ?? file.costUsd), 0);
  const perSecond = entry.model.cost.unit === 'second';
  const quantity = perSecond ? entry.files.reduce((sum, file) => sum + (file.durationS ?? 0), 0) : entry.files.length;
  const first = entry.files[0];
  await insertLedgerEntry(ctx.deps.db, {
    user_id: ctx.video.user_id,
    video_id: ctx.video.id,
    step_key: ctx.stepKey,
    provider: first?.provider ?? ctx.deps.providers.name,
    model_key: entry.model.key,
    kind: entry.kind,
    unit: perSecond ? 'second' : 'run',
    quantity,
    estimated_usd: entry.estimatedUsd,
    actual_usd: actual,
    would_cost_usd: wouldCost,
  });
}
