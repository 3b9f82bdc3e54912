import type { Config } from '../config.js';
import type { Db } from '../db/sql-helpers.js';
import { createLocalEmbeddingProvider } from '../embeddings/perceptual.js';
import type { EmbeddingProvider } from '../embeddings/types.js';
import { UserError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ModelRegistry } from '../models/registry.js';
import type { BlobStore } from '../storage/blob-store.js';
import { createAnimaticProviders } from './animatic/index.js';
import type { ProviderName, Providers } from './types.js';

export type * from './types.js';

export interface CreateProvidersOptions {
  /** Overrides the automatic choice (`--provider`). */
  provider?: ProviderName | undefined;
  log: Logger;
  db: Db;
  storage: BlobStore;
  registry: ModelRegistry;
  /** Replicate creates that answer 429: back off in the call (`wait`) or raise at once (`raise`, workers). */
  rateLimits?: 'wait' | 'raise';
}

/**
 * The embedding provider of this process: CLIP on Replicate (the registry's `defaults.embedding`)
 * when REPLICATE_API_TOKEN is set and the registry names one, else the local perceptual embedding
 * (image similarity only; text search is Postgres full-text search). Independent of `--provider`:
 * a preview deployment with a token still searches with CLIP.
 */
export async function openEmbeddings(
  config: Config,
  options: Omit<CreateProvidersOptions, 'provider' | 'rateLimits'>,
): Promise<EmbeddingProvider> {
  const token = config.replicate.apiToken;
  if (!token || !options.registry.defaults.embedding) return createLocalEmbeddingProvider();
  const { createReplicateEmbeddings } = await import('./replicate/index.js');
  return createReplicateEmbeddings({
    db: options.db,
    storage: options.storage,
    registry: options.registry,
    apiToken: token,
    baseUrl: config.replicate.baseUrl,
    log: options.log,
  });
}

/**
 * The providers this process generates with: Replicate when REPLICATE_API_TOKEN is set, else the
 * animatic (a free local ffmpeg preview). `provider` overrides; asking for Replicate without a
 * token is refused with what to set. The Replicate client is loaded only when it is used.
 */
export async function openProviders(config: Config, options: CreateProvidersOptions): Promise<Providers> {
  const token = config.replicate.apiToken;
  const wanted: ProviderName = options.provider ?? (token ? 'replicate' : 'animatic');
  if (wanted === 'animatic') return createAnimaticProviders();
  if (!token) {
    throw new UserError(
      'replicate_not_configured',
      'The Replicate provider needs REPLICATE_API_TOKEN; set it or use --provider animatic.',
    );
  }
  const { webhookUrl, webhookSecret } = config.replicate;
  const { createReplicateProviders } = await import('./replicate/index.js');
  return createReplicateProviders({
    db: options.db,
    storage: options.storage,
    registry: options.registry,
    apiToken: token,
    baseUrl: config.replicate.baseUrl,
    ...(webhookUrl && webhookSecret ? { webhook: { url: webhookUrl, secret: webhookSecret } } : {}),
    log: options.log,
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
  });
}
