import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createPlanner, type Planner } from '../../src/plan/llm/index.js';
import type { Owner } from '../../src/service/types.js';
import { paidStandIn } from '../helpers/paid-stand-in.js';
import { createTestStack, type TestStack } from '../helpers/pipeline.js';
import { uploadColors } from '../pairs/fixtures.js';

const owner: Owner = { platform: 'cli', platformUserId: 'previewer' };
const other: Owner = { platform: 'cli', platformUserId: 'someone-else' };

/** The rule planner, counting its calls: a render must never plan again. */
function countingPlanner() {
  const inner = createPlanner({ log: createLogger({ level: 'silent' }) });
  const calls = { count: 0 };
  const planner: Planner = {
    plan(request, opts) {
      calls.count += 1;
      return inner.plan(request, opts);
    },
  };
  return { planner, calls };
}

/** The distinct providers recorded on a video's clip versions. */
async function versionProviders(stack: TestStack, videoId: string): Promise<string[]> {
  const rows = await stack.database.db
    .selectFrom('clip_versions')
    .innerJoin('scenes', 'scenes.id', 'clip_versions.scene_id')
    .where('scenes.video_id', '=', videoId)
    .select('clip_versions.provider')
    .distinct()
    .execute();
  return rows.map((row) => row.provider);
}

async function snapshot(stack: TestStack) {
  const db = stack.database.db;
  return {
    videos: await db.selectFrom('videos').selectAll().orderBy('id').execute(),
    scenes: await db.selectFrom('scenes').select(['id', 'video_id', 'prompt']).orderBy('id').execute(),
    works: await db.selectFrom('works').select(['id', 'status']).orderBy('id').execute(),
    ledger: await db.selectFrom('ledger').selectAll().execute(),
  };
}

describe('preview first, then render (paid deployment)', () => {
  let stack: TestStack;
  let generations: { count: number };
  let planning: { count: number };
  let previewId: string;
  let pairsId: string;
  let pairImages: string[];
  const editedPrompt = 'a close-up of the lemonade glass, condensation dripping, golden hour';

  beforeAll(async () => {
    const paid = paidStandIn();
    const counted = countingPlanner();
    generations = paid.calls;
    planning = counted.calls;
    stack = await createTestStack({
      providers: paid.providers,
      planner: counted.planner,
      approvalThresholdUsd: 0.05,
      dailyBudgetUsd: 5,
    });
    const created = await stack.service.create(
      owner,
      { prompt: 'a glass of lemonade in the sun', durationS: 10, model: 'tiny', flavor: 'cinematic' },
      { preview: true },
    );
    previewId = created.videoId;
  });
  afterAll(() => stack?.close());

  it('renders a preview with the animatic for free, with no approval and no paid generation', async () => {
    const queued = await stack.service.get(owner, previewId);
    expect(queued).toMatchObject({ provider: 'animatic', preview: true, previewOf: null });
    expect(queued.status).not.toBe('awaiting_approval');
    await stack.service.settled(previewId);
    const done = await stack.service.get(owner, previewId);
    expect(done.status).toBe('ready');
    expect(done.final).not.toBeNull();
    expect(done.cost.actualUsd).toBe(0);
    expect(done.cost.wouldCostUsd).toBeGreaterThan(0);
    expect(done.scenes.every((scene) => scene.versions.every((version) => version.costUsd === 0))).toBe(true);
    expect(generations.count).toBe(0);
    expect(planning.count).toBe(1);
    expect(await versionProviders(stack, previewId)).toEqual(['animatic']);
  });

  it('records an image-pairs preview as the animatic too, and pays for nothing', async () => {
    const images = await uploadColors(stack, owner, ['0xd02020', '0x2040d0']);
    pairImages = images;
    const pairs = await stack.service.create(
      owner,
      { prompt: 'red to blue', mode: 'image_pairs', imageAssetIds: images, model: 'tiny-pairs' },
      { preview: true },
    );
    pairsId = pairs.videoId;
    await stack.service.settled(pairs.videoId);
    expect((await stack.service.get(owner, pairs.videoId)).status).toBe('ready');
    expect(await versionProviders(stack, pairs.videoId)).toEqual(['animatic']);
    expect(generations.count).toBe(0);
  });

  it('refuses a render while the preview is still running, changing nothing', async () => {
    const running = await stack.service.create(
      owner,
      { prompt: 'a running preview', durationS: 5, model: 'tiny' },
      { preview: true },
    );
    const before = await snapshot(stack);
    await expect(stack.service.render(owner, running.videoId)).rejects.toMatchObject({ code: 'preview_not_ready' });
    const after = await snapshot(stack);
    expect(after.videos.map((video) => video.id)).toEqual(before.videos.map((video) => video.id));
    expect(after.ledger).toEqual(before.ledger);
    await stack.service.settled(running.videoId);
  });

  it("refuses another user's preview as not found, changing nothing", async () => {
    const before = await snapshot(stack);
    await expect(stack.service.render(other, previewId)).rejects.toMatchObject({ code: 'not_found' });
    expect(await snapshot(stack)).toEqual(before);
  });

  it('makes the paid video from the plan and the edited prompts, paying only after approval', async () => {
    await stack.service.regenerateScene(owner, previewId, 1, { prompt: editedPrompt });
    await stack.service.settled(previewId);
    const preview = await stack.service.get(owner, previewId);
    expect(preview.scenes[0]?.versions.at(-1)).toMatchObject({ prompt: editedPrompt, status: 'succeeded' });
    const planningBefore = planning.count;

    const render = await stack.service.render(owner, previewId);
    expect(render).toMatchObject({
      status: 'awaiting_approval',
      provider: 'replicate',
      preview: false,
      previewOf: previewId,
      model: preview.model,
      flavor: preview.flavor,
      durationS: preview.durationS,
      prompt: preview.prompt,
    });
    expect(render.videoId).not.toBe(previewId);
    expect(render.cost.estimatedUsd).toBeGreaterThan(0.05);
    await stack.service.settled(render.videoId);
    expect(generations.count).toBe(0);

    await stack.service.approve(owner, render.videoId);
    await stack.service.settled(render.videoId);
    const done = await stack.service.get(owner, render.videoId);
    expect(done.status).toBe('ready');
    expect(generations.count).toBeGreaterThan(0);
    expect(planning.count).toBe(planningBefore);

    const currentPrompts = preview.scenes.map((scene) => scene.versions.at(-1)?.prompt);
    expect(done.scenes.map((scene) => scene.prompt)).toEqual(currentPrompts);
    expect(done.scenes.map((scene) => scene.versions[0]?.prompt)).toEqual(currentPrompts);
    expect(done.scenes[0]?.prompt).toBe(editedPrompt);
    expect(done.scenes.map((scene) => [scene.startS, scene.durationS])).toEqual(
      preview.scenes.map((scene) => [scene.startS, scene.durationS]),
    );
    const plans = await stack.database.db
      .selectFrom('videos')
      .select(['id', 'plan'])
      .where('id', 'in', [previewId, render.videoId])
      .execute();
    expect(plans[0]?.plan).toEqual(plans[1]?.plan);
  });

  it('refuses to render a video that is not a preview, changing nothing', async () => {
    const rendered = await stack.database.db
      .selectFrom('videos')
      .select('id')
      .where('preview_of', '=', previewId)
      .executeTakeFirstOrThrow();
    const before = await snapshot(stack);
    await expect(stack.service.render(owner, rendered.id)).rejects.toMatchObject({ code: 'not_a_preview' });
    expect(await snapshot(stack)).toEqual(before);
  });

  const rendersOf = (id: string) =>
    stack.database.db
      .selectFrom('videos')
      .select(['id', 'status', 'estimated_cost_usd', 'origin'])
      .where('preview_of', '=', id)
      .orderBy('created_at')
      .execute();

  it('estimates a render without making one: the amount the render itself was held to', async () => {
    const [rendered] = await rendersOf(previewId);
    const before = await snapshot(stack);
    const estimate = await stack.service.estimateRender(owner, previewId);
    expect(await snapshot(stack)).toEqual(before);
    expect(estimate).toMatchObject({ provider: 'replicate', model: 'tiny', durationS: 10 });
    expect(estimate.totalUsd).toBeGreaterThan(0.05);
    expect(estimate.chargedUsd).toBe(estimate.totalUsd);
    expect(estimate.totalUsd).toBe(Number(rendered?.estimated_cost_usd));
    expect(estimate.lines.map((line) => line.kind).sort()).toEqual(['image', 'music', 'video']);
    await expect(stack.service.estimateRender(other, previewId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(stack.service.estimateRender(owner, rendered?.id as string)).rejects.toMatchObject({
      code: 'not_a_preview',
    });
    expect(await snapshot(stack)).toEqual(before);
  });

  it('renders an unchanged preview once: asking again returns the same render', async () => {
    const [rendered] = await rendersOf(previewId);
    const before = await snapshot(stack);
    const again = await stack.service.render(owner, previewId);
    expect(again.videoId).toBe(rendered?.id);
    expect(await snapshot(stack)).toEqual(before);
  });

  it('renders a changed preview anew, once for two asks at the same time, and again after a cancel', async () => {
    await stack.service.restitch(owner, previewId);
    await stack.service.settled(previewId);
    const paidBefore = generations.count;
    const ledgerBefore = (await snapshot(stack)).ledger;
    const [first, second] = await Promise.all([
      stack.service.render(owner, previewId),
      stack.service.render(owner, previewId),
    ]);
    expect(second.videoId).toBe(first.videoId);
    expect(first.status).toBe('awaiting_approval');
    expect((await rendersOf(previewId)).map((row) => row.id).slice(1)).toEqual([first.videoId]);
    expect(generations.count).toBe(paidBefore);
    expect((await snapshot(stack)).ledger).toEqual(ledgerBefore);

    await stack.service.cancel(owner, first.videoId);
    const anew = await stack.service.render(owner, previewId);
    expect(anew.videoId).not.toBe(first.videoId);
    expect(anew.status).toBe('awaiting_approval');
    expect(await rendersOf(previewId)).toHaveLength(3);
    await stack.service.cancel(owner, anew.videoId);
  });

  it("gives a render messages of its own: where it was asked, never the preview's recorded messages", async () => {
    const place = { platform: 'discord', channelId: '400000000000000001', guildId: '400000000000000002' } as const;
    const preview = await stack.service.create(
      owner,
      { prompt: 'a kite over the dunes', durationS: 5, model: 'tiny' },
      { preview: true, origin: { ...place, uploadLimitBytes: 10_485_760 } },
    );
    await stack.service.settled(preview.videoId);
    await stack.service.delivery.record(preview.videoId, {
      progressMessageId: '400000000000000003',
      threadId: '400000000000000004',
      sceneMessages: { 1: '400000000000000005' },
      sceneVersions: { 1: 1 },
    });
    const fromCard = await stack.service.render(owner, preview.videoId);
    const [row] = await rendersOf(preview.videoId);
    expect(row?.origin).toEqual({ ...place, uploadLimitBytes: 10_485_760 });
    await stack.service.cancel(owner, fromCard.videoId);

    const slack = { platform: 'slack', teamId: 'T0TEAM0001', channelId: 'C0RENDER01' } as const;
    const elsewhere = await stack.service.render(owner, preview.videoId, { origin: slack });
    const rows = await rendersOf(preview.videoId);
    expect(rows.find((r) => r.id === elsewhere.videoId)?.origin).toEqual(slack);
    await stack.service.cancel(owner, elsewhere.videoId);
  });

  it('renders an image-pairs preview from its own images, estimated like the request (no storyboard, no music)', async () => {
    const request = await stack.service.estimate({
      prompt: 'red to blue',
      mode: 'image_pairs',
      imageAssetIds: pairImages,
      model: 'tiny-pairs',
    });
    const estimate = await stack.service.estimateRender(owner, pairsId);
    expect(estimate.lines.map((line) => line.kind)).toEqual(['video']);
    expect(estimate.totalUsd).toBe(request.totalUsd);
    const render = await stack.service.render(owner, pairsId);
    expect(render.cost.estimatedUsd).toBe(estimate.totalUsd);
    if (render.status === 'awaiting_approval') await stack.service.approve(owner, render.videoId);
    await stack.service.settled(render.videoId);
    const done = await stack.service.get(owner, render.videoId);
    expect(done.error).toBeNull();
    expect(done.status).toBe('ready');
    expect(await versionProviders(stack, render.videoId)).toEqual(['replicate']);
  });
});

describe('render on a deployment without a paid provider', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack();
  });
  afterAll(() => stack?.close());

  it('refuses with what to configure, changing nothing', async () => {
    const preview = await stack.service.create(owner, { prompt: 'a free preview', durationS: 5, model: 'tiny' });
    expect(preview.preview).toBe(true);
    await stack.service.settled(preview.videoId);
    const before = await snapshot(stack);
    await expect(stack.service.render(owner, preview.videoId)).rejects.toMatchObject({
      code: 'no_paid_provider',
      message: expect.stringMatching(/REPLICATE_API_TOKEN/),
    });
    await expect(stack.service.estimateRender(owner, preview.videoId)).rejects.toMatchObject({
      code: 'no_paid_provider',
    });
    expect(await snapshot(stack)).toEqual(before);
  });
});
