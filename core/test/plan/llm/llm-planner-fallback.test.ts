import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPlanner, planVideo } from '../../../src/plan/index.js';
import { type FakeOpenAI, startFakeOpenAI } from '../../../src/testing/fake-openai/index.js';
import { API_KEY, captureLog, luxuryAdDraft, MODEL, plannerFor } from './helpers.js';

const request = { prompt: 'A luxury watch ad, black and gold', durationS: 30 };

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await startFakeOpenAI({ apiKey: API_KEY });
});
afterEach(async () => {
  await fake.close();
});

function shortDraft() {
  const draft = luxuryAdDraft();
  draft.beats = draft.beats.slice(0, 3);
  return draft;
}

describe('createPlanner with an LLM: falling back to the rule planner', () => {
  it('uses the rule plan after an invalid answer and an invalid repair, saying why and warning once', async () => {
    fake.enqueue({ json: shortDraft() }, { json: shortDraft() });
    const { log, lines, records } = captureLog();

    const result = await plannerFor(fake, log).plan(request);

    expect(result.source).toBe('rules');
    expect(result.plan).toEqual(planVideo(request));
    expect(result.fallbackReason).toMatch(
      /still invalid after a repair: beats: beats add up to 25 s but the video is 30 s/,
    );
    expect(fake.requests).toHaveLength(2);
    const warnings = records().filter((record) => record.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ fallbackReason: result.fallbackReason, model: MODEL, mode: 'ad' });
    expect(String(warnings[0]?.msg)).toContain('beats add up to 25 s');
    expect(lines.join('\n')).not.toContain(API_KEY);
  });

  it.each([
    [500, /HTTP 500/],
    [429, /HTTP 429/],
  ])('falls back after one HTTP %i answer, without retrying', async (status, reason) => {
    fake.enqueue({ status, message: 'upstream trouble' });
    const { log, records } = captureLog();

    const result = await plannerFor(fake, log).plan(request);

    expect(result).toMatchObject({ source: 'rules', plan: planVideo(request) });
    expect(result.fallbackReason).toMatch(reason);
    expect(result.fallbackReason).toContain('upstream trouble');
    expect(fake.requests).toHaveLength(1);
    expect(records().some((record) => record.level === 40)).toBe(true);
  });

  it('falls back when the model does not answer within the timeout', async () => {
    fake.enqueue({ json: luxuryAdDraft(), delayMs: 5_000 });

    const result = await plannerFor(fake, captureLog().log, 200).plan(request);

    expect(result.source).toBe('rules');
    expect(result.fallbackReason).toBe('the LLM did not answer within 200 ms');
  });

  it('falls back without a repair when the answer is not JSON', async () => {
    fake.enqueue({ text: 'Sure! Here is a lovely plan: first a hero shot, then…' });

    const result = await plannerFor(fake, captureLog().log).plan(request);

    expect(result.source).toBe('rules');
    expect(result.fallbackReason).toMatch(/could not be read as a plan.*Sure! Here is a lovely plan/);
    expect(fake.requests).toHaveLength(1);
  });

  it('falls back when the server refuses the API key, and never logs the key', async () => {
    const { log, lines } = captureLog();
    const planner = createPlanner({
      llm: { apiKey: 'wrong-key-9876543210', baseUrl: fake.baseUrl, model: MODEL },
      log,
    });

    const result = await planner.plan(request);

    expect(result.source).toBe('rules');
    expect(result.fallbackReason).toMatch(/HTTP 401/);
    expect(fake.requests[0]?.status).toBe(401);
    expect(lines.join('\n')).not.toContain('wrong-key-9876543210');
  });

  it('falls back when nothing listens at the base URL', async () => {
    const gone = await startFakeOpenAI({ apiKey: API_KEY });
    await gone.close();

    const result = await plannerFor(gone, captureLog().log).plan(request);

    expect(result.source).toBe('rules');
    expect(result.fallbackReason).toMatch(/the LLM request failed/);
  });

  it("rejects with the caller's abort reason instead of falling back", async () => {
    fake.enqueue({ json: luxuryAdDraft(), delayMs: 5_000 });
    const controller = new AbortController();
    const planning = plannerFor(fake, captureLog().log).plan(request, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('the person cancelled')), 50);

    await expect(planning).rejects.toThrow('the person cancelled');
  });
});
