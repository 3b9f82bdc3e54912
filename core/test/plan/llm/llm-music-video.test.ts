import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadBeatLibrary, type MusicVideoPlan, type Plan, validatePlan } from '../../../src/plan/index.js';
import { type FakeOpenAI, startFakeOpenAI } from '../../../src/testing/fake-openai/index.js';
import { API_KEY, captureLog, messageText, musicVideoDraft, plannerFor } from './helpers.js';

const library = loadBeatLibrary();
const character = 'a tall woman with silver braids in a red raincoat';
const request = {
  mode: 'music_video' as const,
  prompt: 'a song about finding your way home through a neon city',
  durationS: 20,
  characterDescription: character,
};

function musicVideo(plan: Plan): MusicVideoPlan {
  if (plan.mode !== 'music_video') throw new Error(`expected a music video, got ${plan.mode}`);
  return plan;
}

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await startFakeOpenAI({ apiKey: API_KEY });
});
afterEach(async () => {
  await fake.close();
});

describe('createPlanner with an LLM: music videos', () => {
  it('puts the character description in every scene, even where the model left it out', async () => {
    fake.enqueue({
      json: musicVideoDraft([
        `${character} stands on a rooftop above the neon city`,
        'She sings to the skyline as rain falls',
        'Dancing through empty streets at dawn',
      ]),
    });

    const result = await plannerFor(fake, captureLog().log).plan(request);

    expect(result.source).toBe('llm');
    const plan = musicVideo(result.plan);
    expect(validatePlan(plan, library).ok).toBe(true);
    expect(plan.characterDescription).toBe(character);
    expect(plan.scenes.map((scene) => [scene.index, scene.startS, scene.durationS])).toEqual([
      [0, 0, 5],
      [1, 5, 5],
      [2, 10, 10],
    ]);
    for (const scene of plan.scenes) {
      expect(scene.description).toContain(character);
      expect(scene.negativeDescription).toContain(`a different person than ${character}`);
    }
    expect(plan.scenes[0]?.description.indexOf(character)).toBe(0);
    expect(plan.scenes[1]?.description).toMatch(/^a tall woman .* raincoat, She sings to the skyline/);
    expect(plan.scenes[1]?.directionPrompt).toBe('Close-up shot, sings to the city, static camera');
  });

  it('tells the model the character, the duration and the scene lengths in a music-video schema', async () => {
    fake.enqueue({ json: musicVideoDraft(['a', 'b', 'c']) });

    await plannerFor(fake, captureLog().log).plan(request);

    const body = fake.requests[0]?.body;
    expect(body?.response_format?.json_schema?.name).toBe('music_video_plan');
    const system = messageText(body?.messages[0]);
    expect(system).toContain(`word for word: "${character}"`);
    expect(system).toContain('exactly 20 seconds');
    expect(system).toContain('One valid split: 5 + 5 + 5 + 5 = 20');
  });

  it('asks for one repair when the scenes miss the duration', async () => {
    const long = musicVideoDraft(['a', 'b', 'c']);
    long.scenes.push({ ...long.scenes[0]!, durationS: 15 });
    fake.enqueue({ json: long }, { json: musicVideoDraft(['a', 'b', 'c']) });

    const result = await plannerFor(fake, captureLog().log).plan(request);

    expect(result.source).toBe('llm');
    expect(musicVideo(result.plan).durationS).toBe(20);
    const repair = messageText(fake.requests[1]?.body?.messages.at(-1));
    expect(repair).toContain('scenes add up to 35 s but the video is 20 s');
  });

  it('falls back to the rule scenes, with the character, when the model fails', async () => {
    fake.enqueue({ status: 503 });

    const result = await plannerFor(fake, captureLog().log).plan(request);

    expect(result.source).toBe('rules');
    const plan = musicVideo(result.plan);
    expect(plan.durationS).toBe(20);
    expect(plan.scenes.every((scene) => scene.description.includes(character))).toBe(true);
  });
});
