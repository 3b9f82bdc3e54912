import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reelsmith } from '../../src/app.js';
import { followAndPrint } from '../../src/cli/commands/wait.js';
import type { CliContext } from '../../src/cli/context.js';
import { ProviderError } from '../../src/errors.js';
import { createAnimaticProviders } from '../../src/providers/animatic/index.js';
import type { Owner } from '../../src/service/types.js';
import { createTestStack, type TestStack } from '../helpers/pipeline.js';

const owner: Owner = { platform: 'cli', platformUserId: 'exit-codes' };

function captured(): NodeJS.WriteStream & { text(): string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return Object.assign(stream, { isTTY: false, text: () => text }) as unknown as NodeJS.WriteStream & {
    text(): string;
  };
}

describe('reelsmith regenerate whose new version failed', () => {
  let stack: TestStack;
  let offline = false;
  beforeAll(async () => {
    const inner = createAnimaticProviders();
    stack = await createTestStack({
      providers: {
        ...inner,
        video: {
          name: 'animatic',
          generateClip: async (req, ctx) => {
            if (offline) {
              throw new ProviderError(
                'replicate',
                'Replicate could not create a prediction of test/tiny-video: no answer (fetch failed: connect ECONNREFUSED)',
                { retryable: false },
              );
            }
            return inner.video.generateClip(req, ctx);
          },
        },
      },
    });
  });
  afterAll(() => stack?.close());

  it('exits 1 and prints the real cause (not "an earlier chunk failed")', async () => {
    const app: Reelsmith = {
      service: stack.service,
      database: { kind: 'postgres', location: stack.database.url },
      provider: 'animatic',
      runner: 'inline',
      notifications: undefined,
      close: async () => {},
    };
    const stdout = captured();
    const stderr = captured();
    const ctx: CliContext = {
      owner,
      stdout,
      stderr,
      open: async () => app,
      catalog: () => stack.service,
    };
    const created = await stack.service.create(owner, { prompt: 'a toy robot on a desk', durationS: 5, model: 'tiny' });
    expect(await followAndPrint(app, ctx, created.videoId, false)).toBe(0);
    offline = true;
    await stack.service.regenerateScene(owner, created.videoId, 1);
    expect(await followAndPrint(app, ctx, created.videoId, false)).toBe(1);
    expect(stderr.text()).toMatch(
      /reelsmith: Scene 1 could not be regenerated \(Replicate could not create a prediction of test\/tiny-video: no answer \(fetch failed: connect ECONNREFUSED\)\); the video keeps its previous take\./,
    );
    expect(stderr.text()).not.toMatch(/an earlier chunk failed/);
    const json = captured();
    expect(await followAndPrint(app, { ...ctx, stdout: json }, created.videoId, true)).toBe(1);
    expect(JSON.parse(json.text())).toMatchObject({ status: 'ready', runner: 'inline', work: { status: 'failed' } });
  });
});
