import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../src/media/probe.js';
import type { Owner } from '../../src/service/types.js';
import { createTestStack, RUNNERS, type TestStack } from '../helpers/pipeline.js';

const owner: Owner = { platform: 'mcp', platformUserId: 'music-video-test' };

describe.each(RUNNERS)('a 20 s music video on the animatic ($runner runner)', ({ runner }) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack({ runner });
  });
  afterAll(() => stack?.close());

  it('carries the character into every scene and delivers 20 s with a music bed', async () => {
    const character = 'a red-haired violinist in a silver coat';
    const created = await stack.service.create(owner, {
      prompt: 'a night ride through a neon city that ends at dawn on a rooftop',
      mode: 'music_video',
      characterDescription: character,
      durationS: 20,
      model: 'tiny',
    });
    await stack.service.settled(created.videoId);
    const view = await stack.service.get(owner, created.videoId);
    expect(view.status).toBe('ready');
    expect(view.mode).toBe('music_video');
    expect(view.scenes.length).toBeGreaterThanOrEqual(2);
    for (const scene of view.scenes) expect(scene.prompt).toContain(character);
    const final = view.final && 'path' in view.final ? view.final.path : '';
    const info = await probe(final);
    expect(Math.abs(info.durationS - 20)).toBeLessThanOrEqual(0.1);
    expect(info.hasAudio).toBe(true);
    const row = await stack.database.db
      .selectFrom('videos')
      .select('music_key')
      .where('id', '=', view.videoId)
      .executeTakeFirstOrThrow();
    expect(row.music_key).toMatch(/background\.mp3$/);
  });
});
