import { PermanentError } from '../../errors.js';
import type { ModelInputParams } from '../../models/input.js';
import type { GenerateClipRequest, GeneratedFile, ProviderCallContext, VideoProvider } from '../types.js';
import { runWithAttempts } from './attempts.js';
import type { Engine } from './engine.js';
import { PredictionFailedError } from './errors.js';

/**
 * Clips from a Replicate video model. The request maps onto the model's inputs through the registry
 * (`buildModelInput`: first/last frame names, duration rounded to an allowed value, fixed inputs);
 * frames are local files sent as data URIs or uploads. When image-to-video keeps failing
 * (`predictionAttempts` failed predictions) and the model also does text-to-video, the chunk falls
 * back to text-to-video: the same prompt without first or last frame. Moderation or input refusals
 * never fall back.
 */
export function createReplicateVideoProvider(engine: Engine): VideoProvider {
  return {
    name: 'replicate',
    async generateClip(req: GenerateClipRequest, ctx: ProviderCallContext): Promise<GeneratedFile> {
      const model = engine.settings.registry.get(req.model.key, 'video');
      const params: ModelInputParams = {
        prompt: req.prompt,
        durationS: req.durationS,
        ...(req.negativePrompt ? { negativePrompt: req.negativePrompt } : {}),
        ...(req.firstFrame ? { firstFrame: req.firstFrame } : {}),
        ...(req.lastFrame ? { lastFrame: req.lastFrame } : {}),
        ...(req.seed === undefined ? {} : { seed: req.seed }),
      };
      const call = { model, ctx, callKey: ctx.stepKey, resume: true };
      try {
        return first(await runWithAttempts(engine, { ...call, params }));
      } catch (error) {
        const canFallBack = params.firstFrame && model.supports.textToVideo && error instanceof PredictionFailedError;
        if (!canFallBack || ctx.signal.aborted) throw error;
        engine.settings.log.warn(
          { err: error, model: model.key, stepKey: ctx.stepKey },
          'Replicate: image-to-video keeps failing; falling back to text-to-video for this chunk',
        );
        const { firstFrame: _first, lastFrame: _last, ...textOnly } = params;
        return first(await runWithAttempts(engine, { ...call, params: textOnly, resume: false }));
      }
    },
  };
}

function first(files: GeneratedFile[]): GeneratedFile {
  const [file] = files;
  if (!file) throw new PermanentError('The prediction succeeded without an output.');
  return file;
}
