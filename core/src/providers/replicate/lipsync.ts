import type { GeneratedFile, LipsyncProvider, LipsyncRequest, ProviderCallContext } from '../types.js';
import { runWithAttempts } from './attempts.js';
import type { Engine } from './engine.js';

/**
 * Lip-sync on a Replicate lipsync model: the local video and audio are sent (data URIs up to 256 KB,
 * else uploads) under the model's own input names; the output is billed per second of its probed length.
 */
export function createReplicateLipsyncProvider(engine: Engine): LipsyncProvider {
  return {
    name: 'replicate',
    async lipsync(req: LipsyncRequest, ctx: ProviderCallContext): Promise<GeneratedFile> {
      const model = engine.settings.registry.get(req.model.key, 'lipsync');
      const params = { video: req.video, audio: req.audio };
      const [file] = await runWithAttempts(engine, { model, params, ctx, callKey: ctx.stepKey, resume: true });
      return file as GeneratedFile;
    },
  };
}
