import type { Prediction } from 'replicate';
import { findPredictionByStepKey, insertPredictionIntent, updatePrediction } from '../../db/predictions.js';
import type { PredictionRow } from '../../db/schema.js';
import { PermanentError, ProviderError } from '../../errors.js';
import { buildModelInput, type ModelInputParams } from '../../models/input.js';
import type { ModelSpec } from '../../models/types.js';
import type { GeneratedFile, ProviderCallContext } from '../types.js';
import { ensureCreated } from './create.js';
import type { Engine } from './engine.js';
import { errorFromFailedPrediction, PROVIDER, throwIfAborted } from './errors.js';
import { resolveFileInputs } from './file-inputs.js';
import { predictionInputHash } from './input-hash.js';
import { type OutputOwner, readStoredOutputs, storeOutputs } from './outputs.js';
import { waitForPrediction } from './wait.js';

/** One paid call: a model, what to send (local file paths allowed), and the key it is recorded under. */
export interface PredictionCall {
  model: ModelSpec;
  params: ModelInputParams;
  ctx: ProviderCallContext;
  /** The step key, suffixed when one step makes several predictions (image batches). */
  callKey: string;
  /** Take over the newest prediction recorded under `callKey` rather than starting a new one. */
  resume: boolean;
}

const RESUMABLE = new Set(['intent', 'starting', 'processing', 'succeeded']);

/**
 * Runs one prediction to stored outputs. With `resume`, the newest row under `callKey` for the same
 * model is taken over: a succeeded one is served from its stored copies (Replicate is not asked, so an
 * output Replicate has deleted costs nothing), an unfinished one is waited for (or, left in `intent`,
 * its lost create looked for) — never created twice. Otherwise an intent row (input hash = sha256 of
 * the canonical `{ model, input }`) is written before the create. A failed prediction marks the row
 * and throws (`errorFromFailedPrediction`).
 * @throws PermanentError before anything is paid when `ctx` lacks `userId` (outputs have nowhere to go).
 */
export async function runPrediction(engine: Engine, call: PredictionCall): Promise<GeneratedFile[]> {
  const { ctx, model } = call;
  const owner = ownerOf(ctx);
  throwIfAborted(ctx.signal);
  let row = call.resume ? await resumableRow(engine, call) : undefined;
  const resumed = row !== undefined;
  if (row?.status === 'succeeded') {
    const stored = await readStoredOutputs(engine, row, model, ctx);
    if (stored) return stored;
  }
  row ??= await recordIntent(engine, call, owner);
  let prediction = await ensureCreated(engine, row, model, resumed && row.status === 'intent', ctx.signal);
  prediction = await waitForPrediction(engine, row, model, prediction, ctx.signal);
  if (prediction.status !== 'succeeded') {
    const error = finishedUnsuccessfully(model, prediction);
    await updatePrediction(engine.settings.db, row.id, {
      status: prediction.status,
      error_message: error.message,
      predict_time_s: prediction.metrics?.predict_time ?? null,
    });
    throw error;
  }
  try {
    return await storeOutputs(engine, row, model, prediction, ctx, owner);
  } catch (error) {
    if (error instanceof ProviderError && (error.status === 404 || error.status === 410)) {
      await updatePrediction(engine.settings.db, row.id, { status: 'failed', error_message: error.message });
    }
    throw error;
  }
}

function ownerOf(ctx: ProviderCallContext): OutputOwner {
  if (!ctx.userId) {
    throw new PermanentError(
      `The Replicate provider needs the owner (ctx.userId) to store outputs; step ${ctx.stepKey} has none.`,
    );
  }
  return { userId: ctx.userId, videoId: ctx.videoId };
}

async function resumableRow(engine: Engine, call: PredictionCall): Promise<PredictionRow | undefined> {
  const row = await findPredictionByStepKey(engine.settings.db, call.callKey);
  if (!row || row.provider !== PROVIDER || row.model !== call.model.replicateId) return undefined;
  if (!RESUMABLE.has(row.status)) return undefined;
  engine.settings.log.info(
    { stepKey: call.callKey, predictionId: row.id, externalId: row.external_id, status: row.status },
    'Replicate: resuming the prediction recorded for this step',
  );
  return row;
}

async function recordIntent(engine: Engine, call: PredictionCall, owner: OutputOwner): Promise<PredictionRow> {
  const { model, ctx } = call;
  const params = await resolveFileInputs(engine.api, model, call.params, ctx.signal);
  const { input, dropped } = buildModelInput(model, params);
  if (dropped.length > 0) {
    engine.settings.log.warn({ model: model.key, dropped }, 'Replicate: the model has no input for some parameters');
  }
  throwIfAborted(ctx.signal);
  return insertPredictionIntent(engine.settings.db, {
    provider: PROVIDER,
    model: model.replicateId,
    step_key: call.callKey,
    video_id: owner.videoId ?? null,
    input_hash: predictionInputHash(model.replicateId, input),
    input: input as PredictionRow['input'],
  });
}

function finishedUnsuccessfully(model: ModelSpec, prediction: Prediction): Error {
  if (prediction.status === 'failed') {
    return errorFromFailedPrediction(
      model.key,
      prediction.id,
      typeof prediction.error === 'string' ? prediction.error : null,
    );
  }
  return new PermanentError(
    `Prediction ${prediction.id} of '${model.key}' ended ${prediction.status} before it finished.`,
  );
}
