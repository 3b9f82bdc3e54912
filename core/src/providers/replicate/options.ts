import type { Db } from '../../db/sql-helpers.js';
import type { Logger } from '../../log.js';
import type { ModelRegistry } from '../../models/registry.js';
import type { ModelKind, ModelSpec } from '../../models/types.js';
import type { BlobStore } from '../../storage/blob-store.js';
import type { BackoffPolicy } from './backoff.js';

/** Longest waits, milliseconds. */
export interface ReplicateTimeouts {
  /** Per model kind: from the moment the call starts waiting for its prediction until it is canceled. */
  video?: number;
  image?: number;
  music?: number;
  lipsync?: number;
  embedding?: number;
  /** Per registry key; overrides the kind's. */
  models?: Record<string, number>;
  /** One HTTP request (a create with `Prefer: wait` included). Default 90 s. */
  requestMs?: number;
}

export interface ReplicateRetryOptions {
  /** Creates tried for one prediction (429s and lost answers), first included. Default 6. */
  createAttempts?: number;
  /** Attempts of requests safe to repeat (get, list, cancel, upload, output download). Default 5. */
  requestAttempts?: number;
  /** Backoff of both, ms. Defaults 1000 and 30 000. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Predictions tried when one ends `failed` (not moderation or bad input), before giving up or, for
   * image-to-video, falling back to text-to-video. Default 2. */
  predictionAttempts?: number;
}

export interface ReplicateProvidersOptions {
  db: Db;
  storage: BlobStore;
  /** Requests must name models of this registry (checked before anything is paid). */
  registry: ModelRegistry;
  apiToken: string;
  /** Default `https://api.replicate.com/v1`. */
  baseUrl?: string;
  /**
   * When set, every create asks Replicate to POST the prediction to `url` (with `?prediction=<row id>`
   * added) on start and completion; polling then only runs as a slower safety net (`safetyPollMs`).
   * Serve `createReplicateWebhookHandler({ secret, onPrediction: providers.deliverWebhook })` there.
   */
  webhook?: { url: string; secret: string };
  fetch?: typeof fetch;
  log: Logger;
  /** First polling interval; later ones grow ×1.5 up to 8× this. Default 2000 ms. */
  pollIntervalMs?: number;
  /** Polling interval while webhooks are on. Default max(30 s, 10 × pollIntervalMs). */
  safetyPollMs?: number;
  timeouts?: ReplicateTimeouts;
  retry?: ReplicateRetryOptions;
  /**
   * Cancel the prediction at Replicate when the call is aborted. Default false: an aborted step (a
   * worker shutting down) leaves its prediction running, and the re-run resumes it without paying twice.
   */
  cancelOnAbort?: boolean;
  /** [0, 1) source for backoff jitter (tests). Default Math.random. */
  random?: () => number;
  /**
   * What a 429 on a create does: `wait` (default) backs off here, honouring Retry-After; `raise`
   * throws the ProviderError (status 429, `retryAfterMs`) at once, so a queue can pause its whole
   * provider pool for every worker instead of one call sleeping.
   */
  rateLimits?: 'wait' | 'raise';
}

/** The options with every default applied. */
export interface ReplicateSettings {
  db: Db;
  storage: BlobStore;
  registry: ModelRegistry;
  log: Logger;
  fetch: typeof fetch;
  webhook: { url: string; secret: string } | undefined;
  pollIntervalMs: number;
  maxPollIntervalMs: number;
  safetyPollMs: number;
  requestTimeoutMs: number;
  createAttempts: number;
  requestAttempts: number;
  predictionAttempts: number;
  backoff: BackoffPolicy;
  cancelOnAbort: boolean;
  random: () => number;
  rateLimits: 'wait' | 'raise';
  timeoutFor(model: ModelSpec): number;
}

const DEFAULT_TIMEOUTS: Record<ModelKind, number> = {
  video: 20 * 60_000,
  image: 5 * 60_000,
  music: 10 * 60_000,
  lipsync: 20 * 60_000,
  embedding: 2 * 60_000,
};

/** Applies the defaults documented on `ReplicateProvidersOptions`. */
export function resolveSettings(options: ReplicateProvidersOptions): ReplicateSettings {
  const pollIntervalMs = options.pollIntervalMs ?? 2000;
  const timeouts = options.timeouts ?? {};
  const retry = options.retry ?? {};
  return {
    db: options.db,
    storage: options.storage,
    registry: options.registry,
    log: options.log,
    fetch: options.fetch ?? globalThis.fetch,
    webhook: options.webhook,
    pollIntervalMs,
    maxPollIntervalMs: pollIntervalMs * 8,
    safetyPollMs: options.safetyPollMs ?? Math.max(30_000, pollIntervalMs * 10),
    requestTimeoutMs: timeouts.requestMs ?? 90_000,
    createAttempts: Math.max(1, retry.createAttempts ?? 6),
    requestAttempts: Math.max(1, retry.requestAttempts ?? 5),
    predictionAttempts: Math.max(1, retry.predictionAttempts ?? 2),
    backoff: { baseMs: retry.baseDelayMs ?? 1000, maxMs: retry.maxDelayMs ?? 30_000 },
    cancelOnAbort: options.cancelOnAbort ?? false,
    random: options.random ?? Math.random,
    rateLimits: options.rateLimits ?? 'wait',
    timeoutFor: (model) => timeouts.models?.[model.key] ?? timeouts[model.kind] ?? DEFAULT_TIMEOUTS[model.kind],
  };
}
