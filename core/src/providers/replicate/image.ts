import type { GeneratedFile, GenerateImagesRequest, ImageProvider, ProviderCallContext } from '../types.js';
import { runWithAttempts } from './attempts.js';
import type { Engine } from './engine.js';

/**
 * Images from a Replicate image model. `count` images take ceil(count / maxOutputs) predictions,
 * recorded under the step key, then `{stepKey}.images{n}` for the n-th extra batch (seeds step by
 * one per batch); each is created with `Prefer: wait` so fast models answer in one request.
 * `reference` conditions the output when the model has a reference input (else it is dropped with
 * a warning). Width and height come from the model's fixed inputs, not the request.
 */
export function createReplicateImageProvider(engine: Engine): ImageProvider {
  return {
    name: 'replicate',
    async generateImages(req: GenerateImagesRequest, ctx: ProviderCallContext): Promise<GeneratedFile[]> {
      const model = engine.settings.registry.get(req.model.key, 'image');
      const perCall = Math.max(1, model.maxOutputs ?? 1);
      const wanted = Math.max(1, Math.floor(req.count));
      const files: GeneratedFile[] = [];
      for (let batch = 0; files.length < wanted; batch += 1) {
        const count = Math.min(perCall, wanted - files.length);
        const params = {
          prompt: req.prompt,
          count,
          ...(req.reference ? { reference: req.reference } : {}),
          ...(req.seed === undefined ? {} : { seed: req.seed + batch }),
        };
        const callKey = batch === 0 ? ctx.stepKey : `${ctx.stepKey}.images${batch}`;
        const made = await runWithAttempts(engine, { model, params, ctx, callKey, resume: true });
        files.push(...made.slice(0, count));
      }
      return files;
    },
  };
}
