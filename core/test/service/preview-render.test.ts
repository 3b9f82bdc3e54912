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
    const pairs = await stack.service.create(
      owner,
      { prompt: 'red to blue', mode: 'image_pairs', imageAssetIds: images, model: 'tiny-pairs' },
      { preview: true },
    );
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
    expect(await snapshot(stack)).toEqual(before);
  });
});
