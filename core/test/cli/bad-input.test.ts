import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Owner } from '../../src/service/types.js';
import { createTestStack, type TestStack } from '../helpers/pipeline.js';
import { runCli } from './run-cli.js';

const cliOwner: Owner = { platform: 'cli', platformUserId: userInfo().username || 'local' };

describe('the CLI refuses bad input with one clear line and exit code 2, changing nothing', () => {
  let stack: TestStack;
  let env: Record<string, string>;
  let readyId: string;
  let cancelledId: string;
  let textFile: string;

  beforeAll(async () => {
    stack = await createTestStack();
    env = { DATABASE_URL: stack.database.url, DATA_DIR: stack.dataDir };
    const ready = await stack.service.create(cliOwner, {
      prompt: 'a red kite on a beach',
      durationS: 5,
      model: 'tiny',
    });
    await stack.service.settled(ready.videoId);
    readyId = ready.videoId;
    const doomed = await stack.service.create(cliOwner, { prompt: 'a blue kite', durationS: 5, model: 'tiny' });
    await stack.service.cancel(cliOwner, doomed.videoId);
    cancelledId = doomed.videoId;
    textFile = join(stack.dataDir, 'notes.png');
    await writeFile(textFile, 'this is not a picture at all');
  });
  afterAll(() => stack?.close());

  const cases: Array<[string, () => string[], RegExp]> = [
    ['an empty prompt', () => ['generate', ''], /prompt/i],
    ['a prompt over 2000 characters', () => ['generate', 'x'.repeat(2001)], /2000/],
    ['duration 0', () => ['generate', 'a cat', '--duration', '0'], /multiple of 5/],
    ['duration 3', () => ['generate', 'a cat', '--duration', '3'], /multiple of 5/],
    ['duration 500', () => ['generate', 'a cat', '--duration', '500'], /multiple of 5|120/],
    ['duration abc', () => ['generate', 'a cat', '--duration', 'abc'], /number/],
    ['an unknown model', () => ['generate', 'a cat', '--model', 'nope'], /Valid: .*hailuo/],
    ['an unknown flavor', () => ['generate', 'a cat', '--flavor', 'nope'], /Valid: .*default/],
    ['an image that is not an image', () => ['generate', 'a cat', '--image', textFile], /not a PNG, JPEG or WebP/],
    ['a missing file', () => ['generate', 'a cat', '--image', '/nowhere/cat.png'], /does not exist/],
    ['an unknown video id', () => ['status', '9b2f1c64-6b1e-4f7e-9d43-2b8f0c1a7e55'], /No video/],
    ['an id that is not a UUID', () => ['status', 'abc'], /not a video id/],
    ['a scene index out of range', () => ['regenerate', readyId, '--scene', '7'], /scenes 1–1/],
    ['regenerating a cancelled video', () => ['regenerate', cancelledId, '--scene', '1'], /cancelled/],
    ['an unknown option', () => ['generate', 'a cat', '--colour', 'red'], /Unknown option/],
  ];

  it.each(cases)('%s', async (_label, args, message) => {
    const before = await countRows(stack);
    const result = await runCli(args(), env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(await countRows(stack)).toEqual(before);
  });

  it('a REDIS_URL nobody answers on (naming it, never its password)', async () => {
    const before = await countRows(stack);
    const result = await runCli(['generate', 'a cat', '--model', 'tiny'], {
      ...env,
      REDIS_URL: 'redis://:hunter2-secret@127.0.0.1:1',
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^reelsmith: Cannot reach Redis at redis:\/\/127\.0\.0\.1:1: .*Start it, or fix REDIS_URL\.$/,
      ),
    ]);
    expect(result.stderr).not.toContain('hunter2');
    expect(await countRows(stack)).toEqual(before);
  });
});

async function countRows(stack: TestStack) {
  const db = stack.database.db;
  const count = async (table: 'videos' | 'assets' | 'clip_versions' | 'takes') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    videos: await count('videos'),
    assets: await count('assets'),
    versions: await count('clip_versions'),
    takes: await count('takes'),
    files: (await stack.storage.list(`${(await db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id}/`))
      .length,
  };
}
