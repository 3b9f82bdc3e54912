import type { Prediction } from 'replicate';
import { attachExternalId, updatePrediction } from '../../db/predictions.js';
import type { PredictionRow, PredictionStatus } from '../../db/schema.js';
import { isRetryable, ProviderError } from '../../errors.js';
import type { ModelSpec } from '../../models/types.js';
import { backoffDelayMs, sleep } from './backoff.js';
import type { Engine } from './engine.js';
import { correlatedWebhookUrl, findOrphan } from './orphans.js';

/** Seconds a create of an image or embedding model may hold its answer until it is done (`Prefer: wait`). */
const IMAGE_SYNC_WAIT_S = 10;

/**
 * The Replicate prediction behind `row`, creating it only when it cannot exist yet. A row that has
 * an external id is read back. Otherwise creates are tried up to `createAttempts` times, backing off
 * with jitter and honouring `Retry-After` / the 429 body between them. When a create's outcome is
 * unknown (no answer, a 5xx, or `resumed` — a row left in `intent` by an earlier run), the prediction
 * it may have made is looked for first (`findOrphan`) and adopted instead of paying again. The
 * external id is stored the moment it is known; when storing it fails the row stays in `intent`,
 * and the re-run adopts the prediction. A 422 marks the row failed and rethrows the UserError; an
 * abort leaves the row in `intent` (a re-run looks for the orphan). With `rateLimits: 'raise'` a 429
 * (which created nothing) is thrown at once, the row left in `intent`, for the caller to pause.
 */
export async function ensureCreated(
  engine: Engine,
  row: PredictionRow,
  model: ModelSpec,
  resumed: boolean,
  signal: AbortSignal,
): Promise<Prediction> {
  const { api, settings } = engine;
  if (row.external_id) return engine.hub.latest(row.external_id) ?? api.get(row.external_id, signal);
  let uncertain = resumed;
  let lastError: unknown;
  for (let attempt = 0; ; attempt += 1) {
    const orphan = uncertain ? await findOrphan(engine, row, signal) : undefined;
    if (orphan) {
      settings.log.warn({ predictionId: row.id, externalId: orphan.id }, 'Replicate: adopted a lost prediction');
      return attach(engine, row, orphan);
    }
    if (attempt >= settings.createAttempts) break;
    const outcome = await createOnce(engine, row, model, signal);
    if ('prediction' in outcome) return attach(engine, row, outcome.prediction);
    lastError = outcome.error;
    if (signal.aborted) throw lastError;
    if (!isRetryable(lastError)) {
      await updatePrediction(settings.db, row.id, { status: 'failed', error_message: messageOf(lastError) });
      throw lastError;
    }
    if (settings.rateLimits === 'raise' && lastError instanceof ProviderError && lastError.status === 429) {
      await updatePrediction(settings.db, row.id, { error_message: messageOf(lastError) });
      throw lastError;
    }
    uncertain = outcomeUnknown(lastError);
    if (attempt + 1 < settings.createAttempts || uncertain) {
      const hint = lastError instanceof ProviderError ? lastError.retryAfterMs : undefined;
      const delayMs = backoffDelayMs(attempt, settings.backoff, hint, settings.random);
      settings.log.warn({ err: lastError, attempt: attempt + 1, delayMs, uncertain }, 'Replicate: create failed');
      await sleep(delayMs, signal);
    }
  }
  await updatePrediction(settings.db, row.id, {
    ...(uncertain ? {} : { status: 'failed' as const }),
    error_message: messageOf(lastError),
  });
  throw lastError;
}

/** One create request for `row`'s stored input; its failure is returned, not thrown. */
async function createOnce(
  engine: Engine,
  row: PredictionRow,
  model: ModelSpec,
  signal: AbortSignal,
): Promise<{ prediction: Prediction } | { error: unknown }> {
  const { webhook } = engine.settings;
  try {
    const prediction = await engine.api.create(
      {
        replicateId: row.model,
        input: row.input,
        ...(webhook
          ? { webhook: correlatedWebhookUrl(webhook.url, row.id), webhookEventsFilter: ['start', 'completed'] }
          : {}),
        ...(model.kind === 'image' || model.kind === 'embedding' ? { waitS: IMAGE_SYNC_WAIT_S } : {}),
      },
      signal,
    );
    return { prediction };
  } catch (error) {
    return { error };
  }
}

/** True when a failed create may still have made a prediction: no answer arrived, or a 5xx. */
export function outcomeUnknown(error: unknown): boolean {
  return error instanceof ProviderError && (error.status === undefined || error.status >= 500);
}

/** Stores the external id at once. A finished status is recorded later, once its outcome is handled. */
async function attach(engine: Engine, row: PredictionRow, prediction: Prediction): Promise<Prediction> {
  const status: PredictionStatus = prediction.status === 'starting' ? 'starting' : 'processing';
  await attachExternalId(engine.settings.db, row.id, prediction.id, status);
  return prediction;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
