import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a webhook's timestamp may be from now, seconds (either way). */
export const WEBHOOK_TOLERANCE_S = 300;

/** Webhook ids already accepted. A `Set<string>` fits; `createWebhookIdCache` bounds memory. */
export interface WebhookIdStore {
  has(id: string): boolean;
  add(id: string): unknown;
  delete?(id: string): unknown;
}

export interface VerifyReplicateWebhookParams {
  /** The request headers (node's lower-cased object or a fetch `Headers`). */
  headers: Headers | Record<string, string | string[] | undefined>;
  /** The body exactly as received: the signature covers these bytes, not a re-serialisation. */
  rawBody: string | Uint8Array;
  /** `whsec_<base64 key>`. */
  secret: string;
  /** Now, ms since the epoch (or a Date). Default `Date.now()`. */
  now?: number | Date;
  /** Ids seen before; a verified id is added, a repeated one refused as `replayed`. */
  seen?: WebhookIdStore;
  toleranceS?: number;
}

export type WebhookRefusal = 'missing_headers' | 'bad_timestamp' | 'stale' | 'bad_signature' | 'replayed';

export type WebhookVerification = { ok: true; webhookId: string } | { ok: false; reason: WebhookRefusal };

/**
 * Verifies a Replicate (Standard Webhooks) delivery: `webhook-signature` holds space-separated
 * `v1,<base64 HMAC-SHA256>` of `{webhook-id}.{webhook-timestamp}.{rawBody}` keyed with the base64
 * key after `whsec_`; one must match (compared with `timingSafeEqual`). The timestamp must be
 * within ±`toleranceS` (5 min) of `now`, and the id must not be in `seen` (retries of a delivery
 * reuse its id, so a second arrival is `replayed`). Only a fully verified id is added to `seen`.
 * Never throws.
 */
export function verifyReplicateWebhook(params: VerifyReplicateWebhookParams): WebhookVerification {
  const id = header(params.headers, 'webhook-id');
  const timestamp = header(params.headers, 'webhook-timestamp');
  const signatures = header(params.headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  const nowMs = params.now instanceof Date ? params.now.getTime() : (params.now ?? Date.now());
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > (params.toleranceS ?? WEBHOOK_TOLERANCE_S)) {
    return { ok: false, reason: 'stale' };
  }
  const key = Buffer.from(params.secret.startsWith('whsec_') ? params.secret.slice(6) : params.secret, 'base64');
  const body = typeof params.rawBody === 'string' ? Buffer.from(params.rawBody, 'utf8') : Buffer.from(params.rawBody);
  const expected = createHmac('sha256', key)
    .update(Buffer.concat([Buffer.from(`${id}.${timestamp}.`, 'utf8'), body]))
    .digest();
  const matches = signatures.split(' ').some((entry) => {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) return { ok: false, reason: 'bad_signature' };
  if (params.seen?.has(id)) return { ok: false, reason: 'replayed' };
  params.seen?.add(id);
  return { ok: true, webhookId: id };
}

/**
 * A bounded `WebhookIdStore`: remembers ids for `ttlMs` (default 10 min, twice the timestamp window,
 * after which a replay is refused as stale anyway), at most `maxEntries` (oldest dropped first).
 */
export function createWebhookIdCache(options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}) {
  const ttlMs = options.ttlMs ?? 2 * WEBHOOK_TOLERANCE_S * 1000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const seenAt = new Map<string, number>();
  const prune = () => {
    const cutoff = now() - ttlMs;
    for (const [id, at] of seenAt) {
      if (at >= cutoff && seenAt.size <= maxEntries) break;
      seenAt.delete(id);
    }
  };
  return {
    has: (id: string) => {
      prune();
      return seenAt.has(id);
    },
    add: (id: string) => {
      seenAt.delete(id);
      seenAt.set(id, now());
      prune();
    },
    delete: (id: string) => seenAt.delete(id),
  } satisfies WebhookIdStore;
}

function header(headers: VerifyReplicateWebhookParams['headers'], name: string): string | undefined {
  const value = headers instanceof Headers ? headers.get(name) : headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first?.trim() || undefined;
}
