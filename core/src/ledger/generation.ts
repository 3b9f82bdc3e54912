import type { Kysely } from 'kysely';
import { findLedgerEntryByStepKey, insertLedgerEntry, settleLedgerEntry } from '../db/ledger.js';
import type { Database, LedgerKind, LedgerRow } from '../db/schema.js';
import { findVideoById } from '../db/videos.js';
import { abortError } from '../errors.js';
import { estimateCallCost } from '../models/estimate.js';
import type { ModelSpec } from '../models/types.js';
import type { GeneratedFile, ProviderName } from '../providers/types.js';
import { assertWithinBudget, withUserLock } from './budget.js';

export interface Reservation {
  kind: LedgerKind;
  model: ModelSpec;
  /** What one call is expected to produce, for the estimate: output seconds or images. */
  outputSeconds?: number;
  images?: number;
}

/** Who pays for a generation and under which step key it is recorded. */
export interface GenerationPayer {
  db: Kysely<Database>;
  userId: string;
  /** The video it works for; null for video-less work (character references). */
  videoId: string | null;
  stepKey: string;
  provider: ProviderName;
  /** The deployment's default daily cap (a user's own cap wins); undefined = none. */
  dailyBudgetUsd: number | undefined;
}

/**
 * Before a generation: one ledger row per step key with the call's estimate, written under the
 * user's row lock after checking the daily budget, so concurrent steps can never overspend; the
 * unique step key means a re-run or a second delivery of the same job reserves nothing twice. A
 * cancelled video reserves nothing (the abort arrives as `abortError('cancelled')`), which closes
 * the window in which a step could start paying after its video was cancelled. The animatic
 * reserves 0 and records in `would_cost_usd` what the chosen model would have charged.
 */
export async function reserveGeneration(payer: GenerationPayer, reservation: Reservation): Promise<LedgerRow> {
  const existing = await findLedgerEntryByStepKey(payer.db, payer.stepKey);
  if (existing) return existing;
  const modelCost = estimateCallCost(reservation.model, {
    ...(reservation.outputSeconds !== undefined ? { outputSeconds: reservation.outputSeconds } : {}),
    ...(reservation.images !== undefined ? { images: reservation.images } : {}),
    runs: 1,
  });
  const paid = payer.provider !== 'animatic';
  const estimatedUsd = paid ? modelCost : 0;
  return withUserLock(payer.db, payer.userId, async (trx) => {
    if (payer.videoId && (await findVideoById(trx, payer.videoId))?.status === 'cancelled') {
      throw abortError('cancelled');
    }
    if (paid) await assertWithinBudget(trx, payer.userId, estimatedUsd, payer.dailyBudgetUsd);
    return insertLedgerEntry(trx, {
      user_id: payer.userId,
      video_id: payer.videoId,
      step_key: payer.stepKey,
      provider: payer.provider,
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
  db: Kysely<Database>,
  row: LedgerRow,
  files: readonly GeneratedFile[],
): Promise<void> {
  const actual = files.reduce((sum, file) => sum + file.costUsd, 0);
  const wouldCost = files.reduce((sum, file) => sum + (file.wouldCostUsd ?? file.costUsd), 0);
  const quantity =
    row.unit === 'second' ? files.reduce((sum, file) => sum + (file.durationS ?? 0), 0) || row.quantity : files.length;
  await settleLedgerEntry(db, row.id, {
    actualUsd: actual,
    wouldCostUsd: wouldCost || row.would_cost_usd,
    quantity,
  });
}
