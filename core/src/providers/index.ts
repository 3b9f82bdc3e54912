import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { createAnimaticProviders } from './animatic/index.js';
import type { ProviderName, Providers } from './types.js';

export type * from './types.js';

/**
 * The providers this process generates with. The animatic (local ffmpeg preview, free) is the
 * default with nothing configured; the Replicate adapter arrives with the real-providers issue.
 */
export function createProviders(config: Config, options: { provider?: ProviderName; log: Logger }): Providers {
  const wanted = options.provider ?? 'animatic';
  if (wanted === 'replicate') {
    throw new Error('The Replicate provider is not built yet; use the animatic provider.');
  }
  if (config.replicate.apiToken) {
    options.log.warn(
      'REPLICATE_API_TOKEN is set but the Replicate provider is not built yet; rendering animatic previews',
    );
  }
  return createAnimaticProviders();
}
