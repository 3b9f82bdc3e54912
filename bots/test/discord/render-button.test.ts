import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paidStandIn } from '../../../core/test/helpers/paid-stand-in.js';
import { allComponents, EPHEMERAL, type FakeMessage } from '../../src/testing/fake-discord/index.js';
import { snapshot } from '../shared/snapshot.js';
import {
  ADA,
  BOB,
  customIds,
  type DiscordHarness,
  eventually,
  ownerOf,
  startDiscordHarness,
  textOf,
} from './harness.js';

/** The label of the button `customId` on `message`. */
const labelOf = (message: FakeMessage, customId: string) =>
  (allComponents(message.components).find((c) => c.custom_id === customId) as { label?: string } | undefined)?.label;

/** `/video create … preview:True` on the tiny model; the video id from the reply. */
async function createPreview(h: DiscordHarness, prompt: string): Promise<{ videoId: string; reply: string }> {
  const interaction = h.command('create', [
    { name: 'prompt', type: 3, value: prompt },
    { name: 'duration', type: 4, value: 5 },
    { name: 'model', type: 3, value: 'tiny' },
    { name: 'preview', type: 5, value: true },
  ]);
  const reply = await h.reply(interaction);
  return { videoId: /`([0-9a-f-]{36})`/.exec(reply)?.[1] as string, reply };
}

/** The preview's channel message once it is the final card of a ready video. */
async function finalCard(h: DiscordHarness, videoId: string): Promise<FakeMessage> {
  await h.stack.service.settled(videoId);
  return eventually(() =>
    h.fake
      .messages()
      .find((message) => customIds(message).includes(`rs:restitch:${videoId}`) && textOf(message).includes('Ready')),
  );
}

const rendersOf = (h: DiscordHarness, previewId: string) =>
  h.stack.database.db.selectFrom('videos').select(['id', 'status']).where('preview_of', '=', previewId).execute();

describe('Render for $X on a preview’s final card (paid deployment)', () => {
  let h: DiscordHarness;
  const paid = paidStandIn();
  let previewId: string;
  let card: FakeMessage;
  /** What the preview's final card showed when it was ready (the fake's message object is live). */
  let shown: { ids: string[]; text: string };
  let price: string;
  let renderId: string;

  beforeAll(async () => {
    h = await startDiscordHarness({
      stack: { providers: paid.providers, approvalThresholdUsd: 0.05, dailyBudgetUsd: 5 },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('makes a free preview with /video create preview:True; its final card offers the render at its estimate', async () => {
    const created = await createPreview(h, 'a paper lantern rising over a lake');
    previewId = created.videoId;
    expect(created.reply).toMatch(/started \(a free animatic preview: its final card offers the paid render\)/);
    expect((await h.stack.service.get(ownerOf(ADA), previewId)).preview).toBe(true);
    card = await finalCard(h, previewId);
    expect(customIds(card)).toEqual([`rs:restitch:${previewId}`, `rs:render:${previewId}`]);
    const estimate = await h.stack.service.estimateRender(ownerOf(ADA), previewId);
    expect(estimate.totalUsd).toBeGreaterThan(0.05);
    price = estimate.totalUsd.toFixed(2);
    expect(labelOf(card, `rs:render:${previewId}`)).toBe(`Render for $${price}`);
    expect(textOf(card)).toMatch(/preview, \$0, would cost/);
    shown = { ids: customIds(card), text: textOf(card) };
    expect(paid.calls.count).toBe(0);
  });

  it('refuses another user’s press ephemerally, changing nothing', async () => {
    const before = await snapshot(h.stack);
    const press = h.press(card, `rs:render:${previewId}`, BOB);
    const callback = await press.callback;
    expect(Number(callback.data?.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
    expect(await h.reply(press)).toMatch(/not yours/);
    expect(await rendersOf(h, previewId)).toEqual([]);
    expect(await snapshot(h.stack)).toEqual(before);
    expect(paid.calls.count).toBe(0);
  });

  it('the owner’s double press makes one render, which waits for approval with nothing paid', async () => {
    const first = h.press(card, `rs:render:${previewId}`);
    const second = h.press(card, `rs:render:${previewId}`);
    for (const press of [first, second]) {
      const callback = await press.callback;
      expect(callback.type).toBe(5);
      expect(Number(callback.data?.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
      expect(callback.at - press.dispatchedAt).toBeLessThan(3000);
    }
    const replies = [await h.reply(first), await h.reply(second)];
    const renders = await rendersOf(h, previewId);
    expect(renders).toHaveLength(1);
    renderId = renders[0]?.id as string;
    expect(renders[0]?.status).toBe('awaiting_approval');
    for (const reply of replies) {
      expect(reply).toBe(
        `Rendering as video \`${renderId}\` (≈ $${price}): it waits for your approval in this channel.`,
      );
    }
    const render = await h.stack.service.get(ownerOf(ADA), renderId);
    expect(render).toMatchObject({ previewOf: previewId, preview: false, provider: 'replicate' });
    expect(render.cost.estimatedUsd.toFixed(2)).toBe(price);
    expect(render.cost.actualUsd).toBe(0);
    const ledger = await h.stack.database.db
      .selectFrom('ledger')
      .selectAll()
      .where('video_id', '=', renderId)
      .execute();
    expect(ledger).toEqual([]);
    expect(paid.calls.count).toBe(0);
  });

  it('posts the render’s own approval card in the channel; the preview’s card stays as it was', async () => {
    const approval = await eventually(() =>
      h.fake.messages().find((message) => customIds(message).includes(`rs:approve:${renderId}`)),
    );
    expect(approval.id).not.toBe(card.id);
    expect(customIds(approval)).toEqual([`rs:approve:${renderId}`, `rs:cancel:${renderId}`]);
    const previewCard = () => h.fake.message(card.id) as FakeMessage;
    expect({ ids: customIds(previewCard()), text: textOf(previewCard()) }).toEqual(shown);

    // Approved, it renders into its own messages: a final card without a render offer (it is no preview).
    expect(await h.reply(h.press(approval, `rs:approve:${renderId}`))).toBe('Approved: the video starts now.');
    await h.stack.service.settled(renderId);
    const done = await eventually(() => {
      const shown = h.fake.message(approval.id);
      return shown && customIds(shown).includes(`rs:restitch:${renderId}`) ? shown : undefined;
    });
    expect(customIds(done)).toEqual([`rs:restitch:${renderId}`]);
    expect(done.thread?.id).not.toBe(card.thread?.id);
    expect(h.fake.messages(done.thread?.id).some((m) => customIds(m).includes(`rs:regen:${renderId}:1`))).toBe(true);
    expect(paid.calls.count).toBeGreaterThan(0);
    expect({ ids: customIds(previewCard()), text: textOf(previewCard()) }).toEqual(shown);
    const previewScenes = h.fake.messages(card.thread?.id).flatMap(customIds);
    expect(previewScenes.filter((id) => id.startsWith('rs:regen:'))).toEqual([`rs:regen:${previewId}:1`]);
    expect(await rendersOf(h, previewId)).toHaveLength(1);
  });

  it('a press while the preview is being regenerated is refused: it is not ready', async () => {
    const scene = await eventually(() =>
      h.fake.messages(card.thread?.id).find((message) => customIds(message).includes(`rs:regen:${previewId}:1`)),
    );
    expect(await h.reply(h.press(scene, `rs:regen:${previewId}:1`))).toBe('Regenerating scene 1…');
    const before = await snapshot(h.stack);
    const press = h.press(card, `rs:render:${previewId}`);
    expect(await h.reply(press)).toMatch(
      /^Preview .* is (generating|stitching|scoring|queued); wait until it is ready/,
    );
    expect(await rendersOf(h, previewId)).toHaveLength(1);
    expect((await snapshot(h.stack)).videos).toBe(before.videos);
    await h.stack.service.settled(previewId);
  });
});

describe('a preview on a deployment with only the animatic', () => {
  let h: DiscordHarness;

  beforeAll(async () => {
    h = await startDiscordHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('has no render button, and a forged press says what the deployment lacks, changing nothing', async () => {
    const { videoId, reply } = await createPreview(h, 'a paper lantern rising over a lake');
    expect(reply).toMatch(/started \(animatic preview: no Replicate token is set\)/);
    const card = await finalCard(h, videoId);
    expect(customIds(card)).toEqual([`rs:restitch:${videoId}`]);
    const before = await snapshot(h.stack);
    const press = h.press(card, `rs:render:${videoId}`);
    expect(await h.reply(press)).toMatch(/no paid provider.*REPLICATE_API_TOKEN/);
    expect(await snapshot(h.stack)).toEqual(before);
    expect(await rendersOf(h, videoId)).toEqual([]);
  });
});
