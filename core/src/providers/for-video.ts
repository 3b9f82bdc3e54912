import { PermanentError } from '../errors.js';
import { createAnimaticProviders } from './animatic/index.js';
import type { ProviderName, Providers } from './types.js';

/** What a process holds: its configured providers and, optionally, the animatic it previews with. */
export interface ProviderSet {
  providers: Providers;
  /** The animatic used for previews on a paid deployment; created on first use when absent. */
  previewProviders?: Providers | undefined;
}

let sharedAnimatic: Providers | undefined;

/**
 * The providers of one video (`videos.provider`, `clip_versions.provider`): the animatic for a
 * preview whatever the deployment is configured with, else the deployment's own. A paid video on a
 * process without the paid provider fails for good (a retry cannot configure a token).
 */
export function providersFor(set: ProviderSet, name: ProviderName | string): Providers {
  if (set.providers.name === name) return set.providers;
  if (name === 'animatic') {
    if (set.previewProviders) return set.previewProviders;
    sharedAnimatic ??= createAnimaticProviders();
    return sharedAnimatic;
  }
  throw new PermanentError(
    `This video renders on ${name}, but this process is configured with ${set.providers.name}; set REPLICATE_API_TOKEN.`,
  );
}
