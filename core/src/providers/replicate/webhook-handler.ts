import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Prediction } from 'replicate';
import {
  createWebhookIdCache,
  verifyReplicateWebhook,
  type WebhookIdStore,
  type WebhookRefusal,
} from './webhook-verify.js';

/** The query parameter of the webhook URL that carries our prediction row id. */
export const CORRELATION_PARAM = 'prediction';
const MAX_BODY_BYTES = 1024 * 1024;

/** What a verified delivery tells its consumer besides the prediction. */
export interface WebhookDelivery {
  webhookId: string;
  /** The `prediction` query parameter of the URL it was sent to (our prediction row id), when present. */
  correlationId: string | undefined;
}

export interface ReplicateWebhookHandlerOptions {
  secret: string;
  /** Receives each verified, first-seen delivery; a rejection answers 500 so Replicate retries it. */
  onPrediction(prediction: Prediction, delivery: WebhookDelivery): unknown | Promise<unknown>;
  seen?: WebhookIdStore;
  now?: () => number;
}

const STATUS_BY_REFUSAL: Record<WebhookRefusal, number> = {
  missing_headers: 400,
  bad_timestamp: 400,
  stale: 401,
  bad_signature: 401,
  replayed: 200,
};

/**
 * A node:http handler for Replicate webhooks. Reads the raw body (≤ 1 MiB, else 413), verifies it
 * (`verifyReplicateWebhook`), and answers: 405 for anything but POST; 400 for missing headers, a
 * malformed timestamp or a body that is not a prediction; 401 for a bad signature or a stale
 * timestamp; 200 without calling `onPrediction` for a replayed id (the first delivery was handled);
 * 200 after `onPrediction` resolves; 500 when it throws (the id is forgotten so the retry is accepted).
 */
export function createReplicateWebhookHandler(options: ReplicateWebhookHandlerOptions) {
  const seen = options.seen ?? createWebhookIdCache();
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') return answer(res, 405, { error: 'method_not_allowed' });
    const rawBody = await readRawBody(req).catch(() => null);
    if (rawBody === null) return answer(res, 400, { error: 'unreadable_body' });
    if (!rawBody) return answer(res, 413, { error: 'body_too_large' });
    const verdict = verifyReplicateWebhook({
      headers: req.headers,
      rawBody,
      secret: options.secret,
      now: options.now?.() ?? Date.now(),
      seen,
    });
    if (!verdict.ok) {
      const status = STATUS_BY_REFUSAL[verdict.reason];
      return answer(res, status, status === 200 ? { ok: true, duplicate: true } : { error: verdict.reason });
    }
    const prediction = parsePrediction(rawBody);
    if (!prediction) {
      seen.delete?.(verdict.webhookId);
      return answer(res, 400, { error: 'not_a_prediction' });
    }
    const correlationId = new URL(req.url ?? '/', 'http://webhook.invalid').searchParams.get(CORRELATION_PARAM);
    try {
      await options.onPrediction(prediction, {
        webhookId: verdict.webhookId,
        correlationId: correlationId ?? undefined,
      });
    } catch {
      seen.delete?.(verdict.webhookId);
      return answer(res, 500, { error: 'not_processed' });
    }
    answer(res, 200, { ok: true });
  };
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readRawBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function parsePrediction(rawBody: Buffer): Prediction | undefined {
  try {
    const value = JSON.parse(rawBody.toString('utf8')) as Partial<Prediction> | null;
    if (value && typeof value.id === 'string' && typeof value.status === 'string') return value as Prediction;
  } catch {}
  return undefined;
}
