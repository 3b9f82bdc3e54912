import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { createPlanner, type PlanRequest, planVideo } from '../../../src/plan/index.js';
import { type FakeOpenAI, startFakeOpenAI } from '../../../src/testing/fake-openai/index.js';
import { userErrorOf } from '../helpers.js';
import { API_KEY, captureLog, plannerFor } from './helpers.js';

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await startFakeOpenAI({ apiKey: API_KEY });
});
afterEach(async () => {
  await fake.close();
});

async function rejection(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('createPlanner: requests are checked before any LLM call', () => {
  it.each<[string, PlanRequest, string]>([
    ['an empty prompt', { prompt: '   ' }, 'empty_prompt'],
    ['a 7-second duration', { prompt: 'a watch ad', durationS: 7 }, 'invalid_duration'],
    ['an unknown mode', { prompt: 'a watch ad', mode: 'trailer' as PlanRequest['mode'] }, 'invalid_mode'],
    ['a creativity of 2', { prompt: 'a watch ad', creativity: 2 }, 'invalid_creativity'],
    ['a flavor name with spaces', { prompt: 'a watch ad', flavor: 'My Flavor!' }, 'invalid_flavor'],
    [
      'a character description that is not text',
      { prompt: 'a song', mode: 'music_video', characterDescription: 42 as unknown as string },
      'invalid_character_description',
    ],
  ])('refuses %s with the rule planner’s UserError and sends nothing', async (_name, request, code) => {
    const error = await rejection(plannerFor(fake, captureLog().log).plan(request));

    expect(error.code).toBe(code);
    expect(error.message).toBe(userErrorOf(() => planVideo(request)).message);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('createPlanner without an LLM', () => {
  it('is the rule planner and touches no network', async () => {
    const calls: unknown[] = [];
    const fetch: typeof globalThis.fetch = async (input) => {
      calls.push(input);
      throw new Error('no network expected');
    };
    const planner = createPlanner({ log: captureLog().log, fetch });
    const request: PlanRequest = { prompt: 'Fresh organic orange juice', durationS: 25 };

    const result = await planner.plan(request);

    expect(result).toEqual({ plan: planVideo(request), source: 'rules' });
    expect(calls).toHaveLength(0);
    expect(fake.requests).toHaveLength(0);
  });

  it('still refuses bad input with a UserError', async () => {
    const error = await rejection(createPlanner({ log: captureLog().log }).plan({ prompt: '' }));
    expect(error.code).toBe('empty_prompt');
  });
});
