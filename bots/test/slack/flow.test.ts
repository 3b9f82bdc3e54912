import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/slack/action-ids.js';
import { actionIds, type FakeSlackMessage, slackText } from '../../src/testing/fake-slack/index.js';
import { sampleMedia } from '../discord/harness.js';
import { ADA, BOB, eventually, type SlackHarness, startSlackHarness, videoIdIn } from './harness.js';

describe('the Slack app, end to end on the fake Slack with a real worker', () => {
  let h: SlackHarness;
  let dir: string;
  let videoId: string;
  let progress: FakeSlackMessage;

  beforeAll(async () => {
    h = await startSlackHarness();
    dir = await mkdtemp(join(tmpdir(), 'reelsmith-slack-'));
  });
  afterAll(async () => {
    await h?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const sceneCards = () => h.thread(videoId).filter((m) => actionIds(m).includes(ACTION.regenerate));
  const card = (n: number) => sceneCards().find((m) => slackText(m).includes(`*Scene ${n}/`)) as FakeSlackMessage;
  const clipMessages = () => h.thread(videoId).filter((m) => m.files && slackText(m).includes('Scene'));
  const settle = async () => {
    await h.stack.service.settled(videoId);
    await eventually(async () => {
      const view = await h.stack.service.get(h.owner(), videoId);
      const shown = h.fake.message(h.fake.channelId, progress.ts);
      return view.status === 'ready' && shown && slackText(shown).includes(`take ${view.take?.number}`);
    });
  };
  const ephemeralTo = (user: string) =>
    h.fake
      .ephemerals()
      .filter((call) => call.args.user === user)
      .map((call) => String(call.args.text));

  it('opens the form for /video, takes its files, and posts one progress message that becomes the final card', async () => {
    const media = await sampleMedia(dir);
    const { response, triggerId } = await h.fake.command('');
    expect(response.status).toBe(200);
    const form = await eventually(() => h.fake.views.find((view) => view.trigger_id === triggerId));
    expect((form.view.blocks as unknown[]).length).toBeLessThanOrEqual(100);

    const submitted = await h.fake.submitView(form, {
      prompt: { value: { type: 'plain_text_input', value: 'a blue water bottle on a mountain trail' } },
      duration: { value: { type: 'static_select', selected_option: { value: '10' } } },
      model: { value: { type: 'static_select', selected_option: { value: 'tiny' } } },
      image: { value: { type: 'file_input', files: [h.fake.userFile('product.png', 'image/png', media.png)] } },
      audio: { value: { type: 'file_input', files: [h.fake.userFile('song.wav', 'audio/wav', media.wav)] } },
    });
    expect(submitted.status).toBe(200);
    expect(submitted.json?.response_action).toBeUndefined();
    const started = await eventually(() => ephemeralTo(ADA.id).find((text) => text.startsWith('Video `')));
    videoId = videoIdIn(started);
    expect(started).toContain('animatic preview');

    progress = await eventually(() => h.videoMessage(videoId));
    await settle();
    const final = h.fake.message(h.fake.channelId, progress.ts) as FakeSlackMessage;
    expect(final.updates.length).toBeGreaterThan(0);
    expect(slackText(final)).toContain('Ready · take 1 · 10 s');
    expect(slackText(final)).toContain('preview, $0, would cost');
    expect(actionIds(final)).toEqual([ACTION.restitch]);
    const view = await h.stack.service.get(h.owner(), videoId);
    expect(view.audio).toBe(true);
    expect(h.fake.messages().filter((m) => slackText(m).includes(videoId))).toHaveLength(1);
  });

  it('posts a card per scene in the thread, each clip uploaded with the external flow, the storyboard, and a broadcast', async () => {
    const view = await h.stack.service.get(h.owner(), videoId);
    expect(sceneCards()).toHaveLength(view.scenes.length);
    for (const scene of view.scenes) {
      const shown = card(scene.index);
      expect(slackText(shown)).toContain(scene.prompt.slice(0, 40));
      expect(slackText(shown)).toMatch(/tiny · v1 · preview/);
      expect(actionIds(shown)).toEqual([ACTION.regenerate, ACTION.editPrompt, ACTION.lipsync]);
    }
    const clips = clipMessages();
    expect(clips).toHaveLength(view.scenes.length);
    for (const clip of clips) {
      const file = h.fake.file(clip.files?.[0] ?? '');
      expect(file?.mimetype).toBe('video/mp4');
      expect(file?.name).toMatch(/^scene_\d{2}_v1\.mp4$/);
    }
    const storyboard = h.thread(videoId).find((m) => m.files && slackText(m).includes('Storyboard'));
    expect(h.fake.file(storyboard?.files?.[0] ?? '')?.mimetype).toBe('image/png');
    const broadcast = h.thread(videoId).filter((m) => m.reply_broadcast);
    expect(broadcast).toHaveLength(1);
    expect(slackText(broadcast[0] as FakeSlackMessage)).toContain('Take 1');
    const uploads = h.fake.calls.map((call) => call.method).filter((m) => m.startsWith('files.') || m === 'upload');
    expect(uploads.filter((m) => m === 'files.getUploadURLExternal')).toHaveLength(view.scenes.length + 2);
    expect(uploads.filter((m) => m === 'upload')).toHaveLength(view.scenes.length + 2);
    expect(uploads.filter((m) => m === 'files.completeUploadExternal')).toHaveLength(view.scenes.length + 2);
  });

  it('refuses a button pressed by someone else, and changes nothing', async () => {
    const callsBefore = h.fake.calls.length;
    const { response } = await h.fake.action(card(1), ACTION.regenerate, { user: BOB });
    expect(response.status).toBe(200);
    const refusal = await eventually(() => ephemeralTo(BOB.id)[0]);
    expect(refusal).toContain('not yours');
    const view = await h.stack.service.get(h.owner(), videoId);
    expect(view.scenes[0]?.versions).toHaveLength(1);
    expect(h.fake.calls.slice(callsBefore).map((c) => c.method)).toEqual(['chat.postEphemeral']);
  });

  it('Regenerate makes version 2: the card shows it, v1 stays reachable, a new clip is uploaded', async () => {
    await h.fake.action(card(1), ACTION.regenerate);
    await eventually(() => ephemeralTo(ADA.id).find((text) => text === 'Regenerating scene 1…'));
    await settle();
    await eventually(() => slackText(card(1)).includes('v1 · *v2*'));
    expect(slackText(card(1))).toContain('tiny · v2 · preview');
    expect(clipMessages().filter((m) => slackText(m).includes('Scene 1/'))).toHaveLength(2);
    expect(h.fake.uploadedFiles().some((file) => file.name === 'scene_01_v2.mp4')).toBe(true);
  });

  it('Edit prompt opens a modal prefilled with the prompt; submitting regenerates with the new one', async () => {
    const before = (await h.stack.service.get(h.owner(), videoId)).scenes[1]?.prompt ?? '';
    const { triggerId } = await h.fake.action(card(2), ACTION.editPrompt);
    const modal = await eventually(() => h.fake.views.find((view) => view.trigger_id === triggerId));
    const input = (modal.view.blocks as Array<{ element: { initial_value: string } }>)[0];
    expect(input?.element.initial_value).toBe(before);
    const answer = await h.fake.submitView(modal, {
      prompt: { value: { type: 'plain_text_input', value: 'the bottle glowing at sunset, slow orbit' } },
    });
    expect(answer.status).toBe(200);
    await eventually(() => ephemeralTo(ADA.id).find((text) => text.includes('Regenerating scene 2 with your prompt')));
    await settle();
    await eventually(() => slackText(card(2)).includes('the bottle glowing at sunset'));
    expect(slackText(card(2))).toContain('v1 · *v2*');
  });

  it('Lipsync makes a lip-synced version of the scene, with its clip uploaded', async () => {
    await h.fake.action(card(1), ACTION.lipsync);
    await eventually(() => ephemeralTo(ADA.id).find((text) => text.startsWith('Lip-syncing scene 1')));
    await settle();
    await eventually(() => slackText(card(1)).includes('*v3*'));
    const view = await h.stack.service.get(h.owner(), videoId);
    expect(view.scenes[0]?.versions.at(-1)).toMatchObject({ version: 3, kind: 'lipsync', status: 'succeeded' });
    expect(h.fake.uploadedFiles().some((file) => file.name === 'scene_01_v3.mp4')).toBe(true);
  });

  it('Re-stitch on the final card makes a new take, broadcast once', async () => {
    const take = (await h.stack.service.get(h.owner(), videoId)).take?.number ?? 0;
    const final = h.fake.message(h.fake.channelId, progress.ts) as FakeSlackMessage;
    await h.fake.action(final, ACTION.restitch);
    await eventually(() => ephemeralTo(ADA.id).find((text) => text.startsWith('Re-stitching')));
    await settle();
    const view = await h.stack.service.get(h.owner(), videoId);
    expect(view.take?.number).toBe(take + 1);
    expect(slackText(h.fake.message(h.fake.channelId, progress.ts) as FakeSlackMessage)).toContain(`take ${take + 1}`);
    const broadcasts = h.thread(videoId).filter((m) => m.reply_broadcast);
    expect(broadcasts.map((m) => slackText(m).match(/Take (\d+)/)?.[1])).toEqual(
      Array.from({ length: take + 1 }, (_, i) => String(i + 1)),
    );
  });

  it('answers status, estimate, models, flavors, help and cancel, only to the one who asked', async () => {
    const answer = async (text: string) => {
      const { response, responseUrl } = await h.fake.command(text);
      expect(response.json?.response_type).toBe('ephemeral');
      if (!String(response.json?.text).endsWith('…')) return String(response.json?.text);
      return String((await eventually(() => h.fake.responses.find((r) => r.responseUrl === responseUrl))).body.text);
    };
    const status = await answer(`status ${videoId}`);
    expect(status).toContain(`\`${videoId}\``);
    expect(status).toMatch(/▰+▱* 100% — ready/);
    expect(status).toContain('animatic preview');
    expect(await answer('estimate a red kite over the sea --duration 30 --model hailuo')).toMatch(
      /^30 s on hailuo: about \$\d+\.\d\d \(an animatic preview here costs \$0\)\.$/,
    );
    expect(await answer('models')).toContain('`hailuo` video');
    expect(await answer('flavors')).toContain('`default`');
    expect(await answer('help')).toContain('/video status');
    const running = await h.createVideo('a slow sunrise over a city', 20);
    expect(await answer('cancel')).toBe(`Video \`${running.videoId}\` cancelled.`);
    expect((await h.stack.service.get(h.owner(), running.videoId)).status).toBe('cancelled');
  });
});
