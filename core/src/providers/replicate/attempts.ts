import type { GeneratedFile } from '../types.js';
import type { Engine } from './engine.js';
import { PredictionFailedError } from './errors.js';
import { type PredictionCall, runPrediction } from './run-prediction.js';

/**
 * `runPrediction`, with a new prediction after one that ended `failed` for an ordinary reason
 * (PredictionFailedError), up to `predictionAttempts` in all. Only the first attempt may resume a
 * recorded prediction. Moderation, invalid input, timeouts and request failures are not retried here.
 */
export async function runWithAttempts(engine: Engine, call: PredictionCall): Promise<GeneratedFile[]> {
  const attempts = engine.settings.predictionAttempts;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await runPrediction(engine, { ...call, resume: call.resume && attempt === 0 });
    } catch (error) {
      if (!(error instanceof PredictionFailedError) || attempt + 1 >= attempts || call.ctx.signal.aborted) throw error;
      engine.settings.log.warn(
        { err: error, model: call.model.key, stepKey: call.callKey, attempt: attempt + 1 },
        'Replicate: the prediction failed; trying a new one',
      );
    }
  }
}
