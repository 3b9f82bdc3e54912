import type { GeneratedFile, GenerateMusicRequest, MusicProvider, ProviderCallContext } from '../types.js';
import { runWithAttempts } from './attempts.js';
import type { Engine } from './engine.js';

/**
 * Music from a Replicate music model: the prompt and the duration asked (rounded up to whole
 * seconds within the model's maximum by `buildModelInput`). Tempo and mood reach the model only
 * through the prompt. The file keeps the model's format (mp3 for the shipped models).
 */
export function createReplicateMusicProvider(engine: Engine): MusicProvider {
  return {
    name: 'replicate',
    async generateMusic(req: GenerateMusicRequest, ctx: ProviderCallContext): Promise<GeneratedFile> {
      const model = engine.settings.registry.get(req.model.key, 'music');
      const params = { prompt: req.prompt, durationS: req.durationS };
      const [file] = await runWithAttempts(engine, { model, params, ctx, callKey: ctx.stepKey, resume: true });
      return file as GeneratedFile;
    },
  };
}
