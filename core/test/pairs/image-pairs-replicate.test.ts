import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createPairPicker } from '../../src/plan/pairs/index.js';
import type { Owner } from '../../src/service/types.js';
import { type FakeOpenAI, startFakeOpenAI } from '../../src/testing/fake-openai/index.js';
import { type FakeReplicate, startFakeReplicate } from '../../src/testing/fake-replicate/index.js';
import type { TestStack } from '../helpers/pipeline.js';
import { pixelAt, pixels } from '../providers/animatic/fixtures.js';
import { createReplicateStack, replicateTestRegistry } from '../providers/replicate/harness.js';
import { BLUE, GREEN, isBlue, isRed, RED, uploadColors } from './fixtures.js';

const owner: Owner = { platform: 'cli', platformUserId: 'pairs-replicate' };

/** The centre pixel of an image sent inline as a data URI. */
function dataUriPixel(stack: TestStack, uri: unknown, name: string): number[] {
  const match = /^data:[^;]+;base64,(.*)$/.exec(String(uri));
  if (!match) throw new Error(`not a data URI: ${String(uri).slice(0, 40)}`);
  const file = join(stack.dataDir, name);
  writeFileSync(file, Buffer.from(match[1] as string, 'base64'));
  return pixelAt(pixels(file), 640, 320, 180);
}

function isGreen([r, g, b]: number[]): boolean {
  return (g ?? 0) > 150 && (r ?? 255) < 80 && (b ?? 255) < 80;
}

describe('image pairs on the fake Replicate with the vision LLM picker', () => {
  let fake: FakeReplicate;
  let llm: FakeOpenAI;
  let stack: TestStack;
  let ids: string[];
  beforeAll(async () => {
    fake = await startFakeReplicate({ models: await replicateTestRegistry(), stepLatencyMs: 10 });
    llm = await startFakeOpenAI();
    stack = await createReplicateStack(fake);
    stack.deps.pairPicker = createPairPicker({
      llm: { apiKey: llm.apiKey, baseUrl: llm.baseUrl, model: 'vision-test' },
      log: createLogger({ level: 'silent' }),
    });
    ids = await uploadColors(stack, owner, [RED, BLUE, GREEN]);
  });
  afterAll(async () => {
    await stack?.close();
    await llm?.close();
    await fake?.close();
  });
  beforeEach(() => {
    (llm.requests as unknown[]).length = 0;
  });

  async function runPairs(numPairs?: number) {
    const before = fake.predictions().length;
    const created = await stack.service.create(owner, {
      prompt: 'energy drink launch',
      mode: 'image_pairs',
      imageAssetIds: ids,
      brandContext: 'Goal: launch. Audience: runners.',
      model: 'tiny-pairs',
      ...(numPairs === undefined ? {} : { numPairs }),
    });
    await stack.service.settled(created.videoId);
    const view = await stack.service.get(owner, created.videoId);
    const row = await stack.database.db
      .selectFrom('videos')
      .selectAll()
      .where('id', '=', created.videoId)
      .executeTakeFirstOrThrow();
    const chunks = fake
      .predictions()
      .slice(before)
      .filter((p) => p.model === 'test/tiny-pairs-video');
    return { view, row, chunks };
  }

  it("uses the LLM's pairs, sending the images as image inputs; each chunk carries its pair's first and last frame", async () => {
    const [red, blue, green] = ids as [string, string, string];
    llm.enqueue({
      json: {
        pairs: [
          { first: green, last: red, score: 0.9, reasoning: 'Green opens, red closes.' },
          { first: red, last: blue, score: 0.7, reasoning: 'Warm to cool.' },
        ],
      },
    });
    const { view, row, chunks } = await runPairs(2);
    expect(view.status).toBe('ready');
    expect(row.plan).toMatchObject({ mode: 'image_pairs', source: 'llm', pairs: [{ first: green }, { first: red }] });
    expect(view.scenes).toHaveLength(2);
    const content = llm.requests[0]?.body?.messages?.at(-1)?.content as Array<{ type: string }>;
    expect(content.filter((part) => part.type === 'image_url')).toHaveLength(3);
    expect(chunks).toHaveLength(2);
    const sent = chunks.map((c, i) => ({
      first: dataUriPixel(stack, c.input.first_frame_image, `sent-first-${i}.png`),
      last: dataUriPixel(stack, c.input.last_frame_image, `sent-last-${i}.png`),
      duration: c.input.duration,
    }));
    const greenToRed = sent.find((s) => isGreen(s.first));
    const redToBlue = sent.find((s) => isRed(s.first));
    expect(greenToRed && isRed(greenToRed.last)).toBe(true);
    expect(redToBlue && isBlue(redToBlue.last)).toBe(true);
    expect(sent.map((s) => s.duration)).toEqual([3, 3]); // the default 6 s rounded to the allowed 2|3
  });

  it('asks once for a repair of an invalid answer and uses the repaired pairs', async () => {
    const [red, blue] = ids as [string, string, string];
    llm.enqueue(
      { json: { pairs: [{ first: red, last: red, score: 1.5, reasoning: 'Same.' }] } },
      { json: { pairs: [{ first: blue, last: red, score: 0.8, reasoning: 'Cool to warm.' }] } },
    );
    const { row } = await runPairs(1);
    expect(llm.requests).toHaveLength(2);
    expect(JSON.stringify(llm.requests[1]?.body?.messages)).toContain('same image');
    expect(row.plan).toMatchObject({ source: 'llm', pairs: [{ first: blue, last: red }] });
  });

  it('falls back to the similarity picker when the LLM fails', async () => {
    llm.enqueue({ status: 500, message: 'upstream down' });
    const { view, row, chunks } = await runPairs();
    expect(view.status).toBe('ready');
    expect(row.plan).toMatchObject({ source: 'similarity' });
    expect((row.plan as { fallbackReason?: string }).fallbackReason).toBeTruthy();
    expect((row.plan as { pairs: unknown[] }).pairs).toHaveLength(2);
    expect(chunks).toHaveLength(2);
  });
});
