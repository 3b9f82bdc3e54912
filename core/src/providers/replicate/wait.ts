import type { Prediction } from 'replicate';
import { updatePrediction } from '../../db/predictions.js';
import type { PredictionRow, PredictionStatus } from '../../db/schema.js';
import { isRetryable, ProviderError } from '../../errors.js';
import type { ModelSpec } from '../../models/types.js';
import { sleep } from './backoff.js';
import type { Engine } from './engine.js';
import { PROVIDER } from './errors.js';

const TERMINAL: ReadonlySet<string> = new Set(['succeeded', 'failed', 'canceled', 'aborted']);
/** How long a cancel after a timeout or an abort may take, ms. */
const CANCEL_BUDGET_MS = 15_000;

/** True once a prediction can no longer change. */
export function isTerminal(prediction: Prediction): boolean {
  return TERMINAL.has(prediction.status);
}

/**
 * Waits until `prediction` is finished and returns its final state, recording each status change on
 * `row`. Without webhooks it polls `GET /v1/predictions/{id}` from `pollIntervalMs`, growing ×1.5 up
 * to 8× (a read that still fails transiently after its own retries is simply polled again later);
 * with webhooks a delivery ends the wait at once and polling only runs every `safetyPollMs`.
 * Past the model's timeout the prediction is canceled, the row marked `canceled`, and a
 * non-retryable ProviderError says so. An abort rethrows its reason (canceling first only with
 * `cancelOnAbort`).
 */
export async function waitForPrediction(
  engine: Engine,
  row: PredictionRow,
  model: ModelSpec,
  prediction: Prediction,
  signal: AbortSignal,
): Promise<Prediction> {
  const { settings, hub } = engine;
  const deadline = Date.now() + settings.timeoutFor(model);
  let current = newer(prediction, hub.latest(prediction.id));
  let status = row.status;
  let interval = settings.webhook ? settings.safetyPollMs : settings.pollIntervalMs;
  const wake = new AbortController();
  const unsubscribe = hub.subscribe(prediction.id, (delivered) => {
    current = newer(current, delivered);
    if (isTerminal(current)) wake.abort();
  });
  try {
    while (!isTerminal(current)) {
      if (current.status !== status) status = await record(engine, row, current);
      const left = deadline - Date.now();
      if (left <= 0) return await timeOut(engine, row, model, current, signal);
      await sleepOrWake(Math.min(interval, left), signal, wake.signal);
      if (isTerminal(current) || Date.now() >= deadline) continue;
      current = newer(current, await poll(engine, current, signal));
      if (!settings.webhook) interval = Math.min(settings.maxPollIntervalMs, Math.round(interval * 1.5));
    }
    return current;
  } catch (error) {
    if (signal.aborted && settings.cancelOnAbort) await cancelQuietly(engine, current.id);
    throw error;
  } finally {
    unsubscribe();
  }
}

/** The prediction as Replicate reports it now; a read that keeps failing transiently keeps the last known state. */
async function poll(engine: Engine, known: Prediction, signal: AbortSignal): Promise<Prediction> {
  try {
    return await engine.api.get(known.id, signal);
  } catch (error) {
    if (signal.aborted || !isRetryable(error)) throw error;
    engine.settings.log.warn({ err: error, externalId: known.id }, 'Replicate: polling failed; will poll again');
    return known;
  }
}

async function record(engine: Engine, row: PredictionRow, prediction: Prediction): Promise<PredictionStatus> {
  const status = prediction.status as PredictionStatus;
  await updatePrediction(engine.settings.db, row.id, { status });
  return status;
}

async function timeOut(
  engine: Engine,
  row: PredictionRow,
  model: ModelSpec,
  prediction: Prediction,
  signal: AbortSignal,
): Promise<never> {
  const limitMs = engine.settings.timeoutFor(model);
  const seconds = (limitMs / 1000).toFixed(limitMs < 10_000 ? 1 : 0);
  await cancelQuietly(engine, prediction.id, signal);
  const message = `Prediction ${prediction.id} of '${model.key}' did not finish within ${seconds} s (last status ${prediction.status}); it was canceled.`;
  await updatePrediction(engine.settings.db, row.id, { status: 'canceled', error_message: message });
  throw new ProviderError(PROVIDER, message, { requestId: prediction.id, retryable: false });
}

async function cancelQuietly(engine: Engine, id: string, signal?: AbortSignal): Promise<void> {
  const budget = AbortSignal.timeout(CANCEL_BUDGET_MS);
  try {
    await engine.api.cancel(id, signal && !signal.aborted ? AbortSignal.any([signal, budget]) : budget);
  } catch (error) {
    engine.settings.log.warn({ err: error, externalId: id }, 'Replicate: could not cancel a prediction');
  }
}

/** Sleeps `ms`; returns early when `wake` fires; rejects when `signal` is aborted. */
async function sleepOrWake(ms: number, signal: AbortSignal, wake: AbortSignal): Promise<void> {
  if (wake.aborted) return;
  try {
    await sleep(ms, AbortSignal.any([signal, wake]));
  } catch (error) {
    if (signal.aborted || !wake.aborted) throw error;
  }
}

/** The later of two views of one prediction: a finished state is never replaced by an unfinished one. */
function newer(known: Prediction, candidate: Prediction | undefined): Prediction {
  if (!candidate || candidate.id !== known.id) return known;
  if (isTerminal(known) && !isTerminal(candidate)) return known;
  return candidate;
}
