import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../src/errors.js';
import { createLogger } from '../../../src/log.js';
import { createReplicateApi } from '../../../src/providers/replicate/api.js';
import { backoffDelayMs } from '../../../src/providers/replicate/backoff.js';
import { retryAfterMs } from '../../../src/providers/replicate/errors.js';
import { throttleBody } from '../../../src/testing/fake-replicate/index.js';
import { createHarness, type Harness } from './harness.js';

describe('creates are never blind-retried and 429s are honoured', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h?.close());

  it('waits out a storm of three 429s with Retry-After 1 s, then creates exactly one prediction', async () => {
    h.fake.faults.models['test/tiny-video'] = { throttle: { count: 3, retryAfterS: 1 } };
    const clip = await h
      .providers()
      .video.generateClip(
        { model: h.registry.get('tiny'), prompt: 'storm', durationS: 2.5 },
        h.ctx('storm.chunk.0.1.0'),
      );
    const creates = h.fake.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/predictions'));
    expect(creates.map((r) => r.status)).toEqual([429, 429, 429, 201]);
    for (let i = 1; i < creates.length; i += 1) {
      expect((creates[i]?.at ?? 0) - (creates[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    }
    expect(h.fake.predictions()).toHaveLength(1);
    expect(clip.durationS).toBeCloseTo(2.5, 1);
  });

  it('gives the replicate client no chance to retry a create: one request per attempt, whatever happens', async () => {
    const outcomes: Array<() => Promise<Response>> = [
      () => Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } })),
      async () => new Response(throttleBody(30, 'resets'), { status: 429 }),
      async () => new Response('{"detail":"upstream"}', { status: 503 }),
    ];
    for (const outcome of outcomes) {
      let calls = 0;
      const api = createReplicateApi({
        apiToken: 't',
        baseUrl: 'http://127.0.0.1:9/v1',
        fetch: (() => {
          calls += 1;
          return outcome();
        }) as typeof fetch,
        requestTimeoutMs: 1000,
        attempts: 5,
        backoff: { baseMs: 1, maxMs: 1 },
        random: () => 0,
        log: createLogger({ level: 'silent' }),
      });
      const error = await api
        .create({ replicateId: 'a/b', input: { prompt: 'x' } }, new AbortController().signal)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(calls).toBe(1);
    }
  });

  it('maps the lost answer, the 429 and the 5xx to typed errors carrying what Replicate said', async () => {
    const make = (response: () => Promise<Response>) =>
      createReplicateApi({
        apiToken: 't',
        baseUrl: 'http://127.0.0.1:9/v1',
        fetch: response as typeof fetch,
        requestTimeoutMs: 1000,
        attempts: 1,
        backoff: { baseMs: 1, maxMs: 1 },
        random: () => 0,
        log: createLogger({ level: 'silent' }),
      }).create({ replicateId: 'a/b', input: {} }, new AbortController().signal);
    const throttled = await make(
      async () =>
        new Response(throttleBody(30, 'resets'), {
          status: 429,
          headers: { 'retry-after': '2', 'x-request-id': 'r1' },
        }),
    ).catch((e: unknown) => e);
    expect(throttled).toMatchObject({ status: 429, retryable: true, retryAfterMs: 30_000, requestId: 'r1' });
    const lost = await make(() => Promise.reject(new TypeError('fetch failed'))).catch((e: unknown) => e);
    expect(lost).toMatchObject({ status: undefined, retryable: true });
    const invalid = await make(
      async () =>
        new Response('{"title":"Input validation failed","detail":"duration must be one of 6, 10"}', { status: 422 }),
    ).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ name: 'UserError', code: 'invalid_model_input' });
    expect((invalid as Error).message).toContain('duration must be one of 6, 10');
  });

  it('reads Retry-After (seconds or a date) and the body hint, keeping the longer', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }), '', now)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), '', now)).toBe(5000);
    expect(retryAfterMs(new Headers(), throttleBody(30, 'resets'), now)).toBe(30_000);
    expect(retryAfterMs(new Headers(), throttleBody(3, 'expected'), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after': '1' }), throttleBody(7), now)).toBe(7000);
    expect(retryAfterMs(new Headers(), '{"detail":"slow down"}', now)).toBeUndefined();
  });

  it('backs off exponentially with jitter, never sooner than the server asked and never in a tight loop', () => {
    const policy = { baseMs: 1000, maxMs: 30_000 };
    expect(backoffDelayMs(0, policy, undefined, () => 0)).toBe(500);
    expect(backoffDelayMs(3, policy, undefined, () => 0.999)).toBeLessThanOrEqual(8000);
    expect(backoffDelayMs(10, policy, undefined, () => 0.999)).toBeLessThanOrEqual(30_000);
    expect(backoffDelayMs(0, policy, 3000, () => 0)).toBe(3000);
    expect(backoffDelayMs(0, policy, 3000, () => 0.999)).toBeLessThanOrEqual(3300);
    expect(backoffDelayMs(0, policy, 0, () => 0)).toBe(1000);
  });
});
