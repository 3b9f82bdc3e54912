import { createAnimaticProviders } from '../../src/providers/animatic/index.js';
import type { Providers } from '../../src/providers/types.js';

/** The animatic under a paid provider's name (so estimates cost money and the gate applies), counting generations. */
export function paidStandIn() {
  const inner = createAnimaticProviders();
  const calls = { count: 0 };
  const count = <T>(fn: () => Promise<T>) => {
    calls.count += 1;
    return fn();
  };
  const providers: Providers = {
    name: 'replicate',
    image: { name: 'replicate', generateImages: (req, ctx) => count(() => inner.image.generateImages(req, ctx)) },
    video: { name: 'replicate', generateClip: (req, ctx) => count(() => inner.video.generateClip(req, ctx)) },
    music: { name: 'replicate', generateMusic: (req, ctx) => count(() => inner.music.generateMusic(req, ctx)) },
    lipsync: { name: 'replicate', lipsync: (req, ctx) => count(() => inner.lipsync.lipsync(req, ctx)) },
  };
  return { providers, calls };
}
