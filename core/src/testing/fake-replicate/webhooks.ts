import { createHmac, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/** The `webhook-signature` value for one delivery: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`. */
export function signWebhook(secret: string, id: string, timestampS: number, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampS}.${body}`).digest('base64')}`;
}

/** A new `whsec_<base64>` secret. */
export function createWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** What one delivery attempt reported. */
export interface WebhookDelivery {
  url: string;
  webhookId: string;
  status: number | 'error';
}

/**
 * POSTs `body` to `url` signed like Replicate (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`). A refused (non-2xx) or failed delivery is retried up to `attempts` times
 * with the same webhook id and a fresh timestamp and signature. Never throws.
 */
export async function deliverWebhook(
  url: string,
  body: string,
  secret: string,
  options: { attempts?: number; onAttempt?: (delivery: WebhookDelivery) => void } = {},
): Promise<void> {
  const webhookId = `msg_${randomBytes(12).toString('hex')}`;
  const attempts = options.attempts ?? 3;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (attempt > 0) await sleep(100 * 2 ** attempt);
    const timestampS = Math.floor(Date.now() / 1000);
    let status: number | 'error' = 'error';
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': webhookId,
          'webhook-timestamp': String(timestampS),
          'webhook-signature': signWebhook(secret, webhookId, timestampS, body),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch {
      status = 'error';
    }
    options.onAttempt?.({ url, webhookId, status });
    if (typeof status === 'number' && status >= 200 && status < 300) return;
  }
}
