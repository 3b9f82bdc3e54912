import type { Prediction } from 'replicate';
import { listOpenPredictionsForVideo, updatePrediction } from '../../db/predictions.js';
import type { EmbeddingProvider } from '../../embeddings/types.js';
import { PermanentError } from '../../errors.js';
import type { Providers } from '../types.js';
import { createReplicateEmbeddingProvider } from './embeddings.js';
import { createEngine } from './engine.js';
import { createReplicateImageProvider } from './image.js';
import { createReplicateLipsyncProvider } from './lipsync.js';
import { createReplicateMusicProvider } from './music.js';
import type { ReplicateProvidersOptions } from './options.js';
import { createReplicateVideoProvider } from './video.js';

export { DATA_URI_LIMIT_BYTES } from './file-inputs.js';
export { canonicalJson, predictionInputHash } from './input-hash.js';
export type { ReplicateProvidersOptions, ReplicateRetryOptions, ReplicateTimeouts } from './options.js';
export {
  CORRELATION_PARAM,
  createReplicateWebhookHandler,
  type ReplicateWebhookHandlerOptions,
  type WebhookDelivery,
} from './webhook-handler.js';
export {
  createWebhookIdCache,
  type VerifyReplicateWebhookParams,
  verifyReplicateWebhook,
  WEBHOOK_TOLERANCE_S,
  type WebhookIdStore,
  type WebhookRefusal,
  type WebhookVerification,
} from './webhook-verify.js';

/**
 * The registry's embedding model (`defaults.embedding`, CLIP) as an EmbeddingProvider, on an engine
 * of its own without webhooks: embedding calls are short, answered inside the create (`Prefer:
 * wait`) or by polling, in whichever process asks (a front's upload or search).
 */
export function createReplicateEmbeddings(options: ReplicateProvidersOptions): EmbeddingProvider {
  const { webhook: _webhook, ...rest } = options;
  const key = options.registry.defaults.embedding;
  if (!key) throw new PermanentError('The model registry names no embedding model (defaults.embedding).');
  return createReplicateEmbeddingProvider(createEngine(rest), options.registry.get(key, 'embedding'));
}

/** The Replicate providers, plus the door for webhook deliveries. */
export interface ReplicateProviders extends Providers {
  name: 'replicate';
  /**
   * Hands a verified webhook delivery to the call waiting for that prediction in this process (or
   * keeps it for the orphan search when its create answer was lost). Wire it as the
   * `onPrediction` of `createReplicateWebhookHandler`.
   */
  deliverWebhook(prediction: Prediction, delivery?: { correlationId?: string | undefined }): void;
}

/**
 * Reelsmith's paid providers on Replicate (image, video, music, lipsync), built on the `replicate`
 * client. Guarantees, per call (keyed by `ctx.stepKey`):
 * - a prediction row (status `intent`, input hash) is written before the create, and the external
 *   id stored as soon as it is known; a re-run of the step resumes that prediction, never pays twice;
 * - creates are never blind-retried (the client's own retries are disarmed); ours back off with
 *   jitter and honour `Retry-After` and the 429 body; a create whose answer was lost is found in
 *   Replicate's list (same model and input hash, or the webhook's `?prediction=` id) and adopted;
 * - waits poll with backoff, or follow webhooks with a slow safety poll; past the model's timeout
 *   the prediction is canceled and the call fails clearly;
 * - every output is downloaded and copied to storage (`predictionOutputKey`) before the call
 *   resolves, so an output Replicate has deleted is never paid again;
 * - moderation and input refusals are UserErrors (`content_rejected`, `invalid_model_input`) with
 *   the model's message, never retried; image-to-video falls back to text-to-video when it can;
 * - `costUsd` is the registry price of what came back (probed seconds, images, or runs).
 */
export function createReplicateProviders(options: ReplicateProvidersOptions): ReplicateProviders {
  const engine = createEngine(options);
  return {
    name: 'replicate',
    image: createReplicateImageProvider(engine),
    video: createReplicateVideoProvider(engine),
    music: createReplicateMusicProvider(engine),
    lipsync: createReplicateLipsyncProvider(engine),
    deliverWebhook: (prediction, delivery) => engine.hub.deliver(prediction, delivery?.correlationId),
    cancelVideo: (videoId) => cancelVideoPredictions(engine, videoId),
  };
}

/** Cancels every unfinished prediction recorded for the video and marks it canceled (best effort, logged). */
async function cancelVideoPredictions(engine: ReturnType<typeof createEngine>, videoId: string): Promise<void> {
  const { db, log } = engine.settings;
  const open = await listOpenPredictionsForVideo(db, videoId);
  await Promise.all(
    open.map(async (row) => {
      try {
        await engine.api.cancel(row.external_id as string, AbortSignal.timeout(15_000));
        await updatePrediction(db, row.id, { status: 'canceled', error_message: 'The video was cancelled' });
      } catch (error) {
        log.warn(
          { err: error, externalId: row.external_id },
          'Replicate: could not cancel a prediction of a cancelled video',
        );
      }
    }),
  );
}
