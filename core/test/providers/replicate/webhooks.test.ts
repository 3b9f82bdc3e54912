import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Prediction } from 'replicate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createReplicateWebhookHandler,
  createWebhookIdCache,
  type ReplicateProviders,
  verifyReplicateWebhook,
  type WebhookDelivery,
} from '../../../src/providers/replicate/index.js';
import { signWebhook } from '../../../src/testing/fake-replicate/index.js';
import { createHarness, type Harness, predictionRows } from './harness.js';

const SECRET = `whsec_${Buffer.from('a very secret webhook signing key').toString('base64')}`;
const NOW = Date.parse('2026-06-01T12:00:00Z');
const NOW_S = Math.floor(NOW / 1000);
const BODY = JSON.stringify({ id: 'p1', status: 'succeeded', output: 'https://replicate.delivery/x.mp4' });

function signed(id: string, timestampS: number, body: string, secret = SECRET) {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampS),
    'webhook-signature': signWebhook(secret, id, timestampS, body),
  };
}

describe('verifyReplicateWebhook', () => {
  it('accepts a delivery signed with the secret over the raw body, within the time window', () => {
    const verdict = verifyReplicateWebhook({
      headers: signed('msg_1', NOW_S, BODY),
      rawBody: BODY,
      secret: SECRET,
      now: NOW,
    });
    expect(verdict).toEqual({ ok: true, webhookId: 'msg_1' });
  });

  it('accepts when any of several space-separated signatures matches (key rotation)', () => {
    const headers = signed('msg_2', NOW_S, BODY);
    headers['webhook-signature'] = `v1,${Buffer.alloc(32).toString('base64')} ${headers['webhook-signature']}`;
    expect(verifyReplicateWebhook({ headers, rawBody: Buffer.from(BODY), secret: SECRET, now: NOW }).ok).toBe(true);
  });

  it('refuses a signature made with another secret, or over another body', () => {
    const other = `whsec_${Buffer.from('someone else').toString('base64')}`;
    const forged = verifyReplicateWebhook({
      headers: signed('m', NOW_S, BODY, other),
      rawBody: BODY,
      secret: SECRET,
      now: NOW,
    });
    expect(forged).toEqual({ ok: false, reason: 'bad_signature' });
    const tampered = BODY.replace('succeeded', 'failed');
    const altered = verifyReplicateWebhook({
      headers: signed('m', NOW_S, BODY),
      rawBody: tampered,
      secret: SECRET,
      now: NOW,
    });
    expect(altered).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses the same JSON re-serialised with other whitespace: the signature covers the raw bytes', () => {
    const reserialised = JSON.stringify(JSON.parse(BODY), null, 2);
    const verdict = verifyReplicateWebhook({
      headers: signed('m', NOW_S, BODY),
      rawBody: reserialised,
      secret: SECRET,
      now: NOW,
    });
    expect(verdict).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses timestamps more than 5 minutes old or ahead, even when correctly signed', () => {
    for (const timestampS of [NOW_S - 301, NOW_S + 301]) {
      const verdict = verifyReplicateWebhook({
        headers: signed('m', timestampS, BODY),
        rawBody: BODY,
        secret: SECRET,
        now: NOW,
      });
      expect(verdict).toEqual({ ok: false, reason: 'stale' });
    }
    const edge = verifyReplicateWebhook({
      headers: signed('m', NOW_S - 299, BODY),
      rawBody: BODY,
      secret: SECRET,
      now: NOW,
    });
    expect(edge.ok).toBe(true);
  });

  it('refuses a replayed webhook id, and missing or malformed headers', () => {
    const seen = createWebhookIdCache({ now: () => NOW });
    const headers = signed('msg_replay', NOW_S, BODY);
    expect(verifyReplicateWebhook({ headers, rawBody: BODY, secret: SECRET, now: NOW, seen }).ok).toBe(true);
    expect(verifyReplicateWebhook({ headers, rawBody: BODY, secret: SECRET, now: NOW + 1000, seen })).toEqual({
      ok: false,
      reason: 'replayed',
    });
    const { 'webhook-signature': _s, ...unsigned } = headers;
    expect(verifyReplicateWebhook({ headers: unsigned, rawBody: BODY, secret: SECRET, now: NOW })).toEqual({
      ok: false,
      reason: 'missing_headers',
    });
    const badTime = { ...headers, 'webhook-timestamp': 'yesterday' };
    expect(verifyReplicateWebhook({ headers: badTime, rawBody: BODY, secret: SECRET, now: NOW }).ok).toBe(false);
  });
});

describe('createReplicateWebhookHandler over HTTP', () => {
  let server: Server;
  let url: string;
  const received: Array<{ prediction: Prediction; delivery: WebhookDelivery }> = [];
  let failNext = false;

  beforeAll(async () => {
    const handler = createReplicateWebhookHandler({
      secret: SECRET,
      onPrediction(prediction, delivery) {
        if (failNext) {
          failNext = false;
          throw new Error('database down');
        }
        received.push({ prediction, delivery });
      },
    });
    server = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/replicate?prediction=row-1`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (headers: Record<string, string>, body = BODY) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const nowS = () => Math.floor(Date.now() / 1000);

  it('answers 200 and hands over the prediction and its correlation id once; a replay gets 200 but is not handed over', async () => {
    const headers = signed('msg_http_1', nowS(), BODY);
    expect((await post(headers)).status).toBe(200);
    expect(received).toHaveLength(1);
    expect(received[0]?.delivery).toEqual({ webhookId: 'msg_http_1', correlationId: 'row-1' });
    expect(received[0]?.prediction).toMatchObject({ id: 'p1', status: 'succeeded' });
    const replay = await post(headers);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ duplicate: true });
    expect(received).toHaveLength(1);
  });

  it('answers 401 to a bad signature or a stale timestamp, 400 to missing headers, 405 to a GET', async () => {
    expect((await post(signed('msg_http_2', nowS(), BODY), `${BODY} `)).status).toBe(401);
    expect((await post(signed('msg_http_3', nowS() - 600, BODY))).status).toBe(401);
    expect((await post({})).status).toBe(400);
    expect((await fetch(url)).status).toBe(405);
    expect(received).toHaveLength(1);
  });

  it('answers 500 when the consumer fails, and accepts the retry of that same delivery', async () => {
    failNext = true;
    const headers = signed('msg_http_4', nowS(), BODY);
    expect((await post(headers)).status).toBe(500);
    expect((await post(signed('msg_http_4', nowS(), BODY))).status).toBe(200);
    expect(received.at(-1)?.delivery.webhookId).toBe('msg_http_4');
  });
});

describe('predictions followed by webhooks', () => {
  let h: Harness;
  let server: Server;
  let providers: ReplicateProviders;
  beforeAll(async () => {
    h = await createHarness();
    const handler = createReplicateWebhookHandler({
      secret: h.fake.webhookSecret,
      onPrediction: (prediction, delivery) => providers.deliverWebhook(prediction, delivery),
    });
    server = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/replicate`;
    providers = h.providers({ webhook: { url: hookUrl, secret: h.fake.webhookSecret }, safetyPollMs: 120_000 });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await h?.close();
  });

  it('completes on the signed webhook long before the safety poll, and names its row in the webhook URL', async () => {
    const started = Date.now();
    const clip = await providers.video.generateClip(
      { model: h.registry.get('tiny'), prompt: 'webhook', durationS: 2.5 },
      h.ctx('hook.chunk.0.1.0'),
    );
    expect(Date.now() - started).toBeLessThan(20_000);
    const [row] = await predictionRows(h.database, 'hook.chunk.0.1.0');
    const [prediction] = h.fake.predictions();
    expect(prediction?.webhook).toContain(`prediction=${row?.id}`);
    expect(prediction?.webhook_events_filter).toEqual(['start', 'completed']);
    expect(row).toMatchObject({ status: 'succeeded', id: clip.predictionId });
    expect(h.fake.requests().filter((r) => r.method === 'GET' && r.path.startsWith('/v1/predictions/'))).toHaveLength(
      0,
    );
  });

  it('adopts a prediction whose create answer was lost, with webhooks on', async () => {
    const before = h.fake.predictions().length;
    h.fake.faults.models['test/tiny-video'] = { resetAfterCreate: 1 };
    await providers.video.generateClip(
      { model: h.registry.get('tiny'), prompt: 'lost answer', durationS: 2.5 },
      h.ctx('hook.chunk.0.1.1'),
    );
    expect(h.fake.predictions()).toHaveLength(before + 1);
  });
});
