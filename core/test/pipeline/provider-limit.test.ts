import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnimaticProviders } from '../../src/providers/animatic/index.js';
import type { Owner } from '../../src/service/types.js';
import { createTestStack, RUNNERS, type TestStack } from '../helpers/pipeline.js';
import { type ClipCall, peakInFlight, recordingProviders } from './recording-provider.js';

const owner: Owner = { platform: 'cli', platformUserId: 'limit-test' };

describe.each(RUNNERS)('the per-provider concurrency cap ($runner runner)', ({ runner }) => {
  let stack: TestStack;
  let clipCalls: ClipCall[];
  beforeAll(async () => {
    const slow = recordingProviders(createAnimaticProviders(), { delayMs: 250 });
    clipCalls = slow.clipCalls;
    stack = await createTestStack({ providers: slow.providers, providerLimit: 2, runner });
  });
  afterAll(() => stack?.close());

  it('never has more generations in flight than the cap, yet runs scenes side by side', async () => {
    const created = await stack.service.create(owner, {
      prompt: 'a kite festival on a windy beach',
      durationS: 20,
      model: 'tiny',
    });
    await stack.service.settled(created.videoId);
    expect((await stack.service.get(owner, created.videoId)).status).toBe('ready');
    const peak = peakInFlight(clipCalls);
    expect(peak).toBeLessThanOrEqual(2);
    const scenesOverlapping = clipCalls.some((a) =>
      clipCalls.some(
        (b) =>
          a !== b &&
          a.stepKey.split('.')[2] !== b.stepKey.split('.')[2] &&
          a.startedAt < b.endedAt &&
          b.startedAt < a.endedAt,
      ),
    );
    expect(scenesOverlapping).toBe(true);
  });
});
