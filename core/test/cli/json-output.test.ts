import { access, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../src/media/probe.js';
import type { Owner } from '../../src/service/types.js';
import { createTestStack, TEST_REDIS_URL, type TestStack, testRegistryYaml } from '../helpers/pipeline.js';
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
    expect(view).toMatchObject({
      status: 'ready',
      provider: 'animatic',
      model: 'hailuo',
      durationS: 5,
      runner: 'inline',
    });
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

describe('the CLI with REDIS_URL set', () => {
  let stack: TestStack;
  let env: Record<string, string>;
  beforeAll(async () => {
    stack = await createTestStack({ runner: 'queue' });
    const registryFile = join(stack.dataDir, 'models.test.yaml');
    await writeFile(registryFile, await testRegistryYaml());
    env = {
      DATABASE_URL: stack.database.url,
      DATA_DIR: stack.dataDir,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: stack.queue?.prefix as string,
      MODEL_REGISTRY_FILE: registryFile,
    };
  });
  afterAll(() => stack?.close());

  it('submits to the workers and follows the video until it is done, saying which runner ran it', async () => {
    const view = await json(['generate', 'a glass of lemonade', '--duration', '5', '--model', 'tiny', '--json'], env);
    expect(view).toMatchObject({ status: 'ready', runner: 'queue', model: 'tiny' });
    const work = await stack.database.db
      .selectFrom('works')
      .select(['runner', 'status'])
      .where('video_id', '=', view.videoId)
      .executeTakeFirstOrThrow();
    expect(work).toEqual({ runner: 'queue', status: 'succeeded' });
    const steps = await stack.database.db.selectFrom('steps').select('runner_id').execute();
    expect(steps.every((step) => step.runner_id !== null && !step.runner_id.endsWith(':inline'))).toBe(true);
  });
});

describe('CLI warnings', () => {
  const env = { OPENAI_API_KEY: 'sk-testtesttesttesttest1234', OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' };

  it('are one short human line each, without fields or stack traces', async () => {
    const result = await runCli(['plan', 'a red sneaker ad', '--json'], env);
    expect(result.code).toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^reelsmith: warning: LLM planning failed; using the rule planner: /);
    expect(result.stderr).not.toMatch(/[{}]|\n\s+at /);
  });

  it('are JSON lines with LOG_FORMAT=json', async () => {
    const result = await runCli(['plan', 'a red sneaker ad', '--json'], { ...env, LOG_FORMAT: 'json' });
    expect(result.code).toBe(0);
    const record = JSON.parse(result.stderr.trim().split('\n')[0] ?? '') as { level: number; msg: string };
    expect(record).toMatchObject({ level: 40, msg: expect.stringMatching(/LLM planning failed/) });
  });
});
