import { access } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../src/media/probe.js';
import type { Owner } from '../../src/service/types.js';
import { createTestStack, type TestStack } from '../helpers/pipeline.js';
import { runCli } from './run-cli.js';

const cliOwner: Owner = { platform: 'cli', platformUserId: userInfo().username || 'local' };

/** Runs a `--json` command and insists stdout is exactly one JSON value (shape checked by each test). */
// biome-ignore lint/suspicious/noExplicitAny: the tests below assert the shape of untyped CLI output
async function json(args: string[], env: Record<string, string>): Promise<any> {
  const result = await runCli(args, env);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

describe('the CLI with --json prints one JSON object and nothing else', () => {
  let stack: TestStack;
  let env: Record<string, string>;
  beforeAll(async () => {
    stack = await createTestStack();
    env = { DATABASE_URL: stack.database.url, DATA_DIR: stack.dataDir };
  });
  afterAll(() => stack?.close());

  it('plan: an ad plan with beats', async () => {
    const plan = await json(['plan', 'an energetic sneaker ad', '--duration', '20', '--json'], env);
    expect(plan).toMatchObject({ mode: 'ad', durationS: 20, archetype: expect.any(String) });
    expect(plan.audio).toEqual({ style: expect.any(String), tempoBpm: expect.any(Number), mood: expect.any(String) });
    expect(plan.style.palette.length).toBeGreaterThanOrEqual(2);
    expect(plan.beats.reduce((sum: number, beat: { durationS: number }) => sum + beat.durationS, 0)).toBe(20);
    for (const beat of plan.beats) {
      expect(Object.keys(beat)).toEqual(
        expect.arrayContaining(['id', 'startS', 'durationS', 'shotType', 'action', 'cameraMovement', 'prompt']),
      );
    }
  });

  it('plan: a music video plan with scenes and the character', async () => {
    const plan = await json(
      [
        'plan',
        'a dreamy ride on a night train',
        '--mode',
        'music_video',
        '--character',
        'a girl in a yellow raincoat',
        '--duration',
        '15',
        '--json',
      ],
      env,
    );
    expect(plan).toMatchObject({
      mode: 'music_video',
      durationS: 15,
      characterDescription: 'a girl in a yellow raincoat',
    });
    for (const scene of plan.scenes) {
      expect(scene).toMatchObject({
        description: expect.stringContaining('yellow raincoat'),
        negativeDescription: expect.any(String),
      });
      expect(typeof scene.startS).toBe('number');
    }
  });

  it('models, flavors and estimate', async () => {
    const models = await json(['models', '--json'], env);
    expect(models.map((m: { key: string }) => m.key)).toEqual(
      expect.arrayContaining(['hailuo', 'wan', 'veo3', 'flux-schnell', 'musicgen']),
    );
    const flavors = await json(['flavors', '--json'], env);
    expect(flavors.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['default', 'cinematic']));
    const estimate = await json(['estimate', 'a watch ad', '--duration', '30', '--model', 'wan', '--json'], env);
    expect(estimate).toMatchObject({ model: 'wan', durationS: 30, provider: 'animatic', chargedUsd: 0 });
    expect(estimate.totalUsd).toBeGreaterThan(0);
  });

  it('generate: a real video through the default model, then status', async () => {
    const view = await json(
      ['generate', 'a steaming cup of coffee on a wooden table', '--duration', '5', '--json'],
      env,
    );
    expect(view).toMatchObject({ status: 'ready', provider: 'animatic', model: 'hailuo', durationS: 5 });
    expect(view.cost).toMatchObject({ actualUsd: 0, estimatedUsd: expect.any(Number) });
    expect(view.scenes[0]).toMatchObject({
      index: 1,
      startS: 0,
      durationS: 5,
      currentVersion: 1,
      prompt: expect.any(String),
    });
    await access(view.contactSheet.path);
    const info = await probe(view.final.path);
    expect(Math.abs(info.durationS - 5)).toBeLessThanOrEqual(0.1);
    expect(info).toMatchObject({ width: 1366, height: 768, videoCodec: 'h264', audioCodec: 'aac' });

    const status = await json(['status', view.videoId, '--json'], env);
    expect(status.videoId).toBe(view.videoId);
    expect(status.final.path).toBe(view.final.path);
    const owned = await stack.service.list(cliOwner);
    expect(owned.map((v) => v.videoId)).toContain(view.videoId);
  });
});
