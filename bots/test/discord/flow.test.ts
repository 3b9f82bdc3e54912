import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../../core/src/media/probe.js';
import { EPHEMERAL, type FakeMessage, IS_COMPONENTS_V2 } from '../../src/testing/fake-discord/index.js';
import {
  ADA,
  BOB,
  customIds,
  type DiscordHarness,
  eventually,
  ownerOf,
  sampleMedia,
  startDiscordHarness,
  textOf,
} from './harness.js';

describe('the Discord bot, end to end on the fake Discord with a real worker', () => {
  let h: DiscordHarness;
  let dir: string;
  let videoId: string;
  let progress: FakeMessage;
  let threadId: string;

  beforeAll(async () => {
    h = await startDiscordHarness();
    dir = await mkdtemp(join(tmpdir(), 'reelsmith-discord-'));
  });
  afterAll(async () => {
    await h?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const sceneCards = () => h.fake.messages(threadId).filter((message) => textOf(message).startsWith('**Scene '));
  const card = (n: number) =>
    sceneCards().find((message) => textOf(message).startsWith(`**Scene ${n}/`)) as FakeMessage;
  const settle = async () => {
    await h.stack.service.settled(videoId);
    await eventually(async () => {
      const view = await h.stack.service.get(ownerOf(ADA), videoId);
      const shown = h.fake.message(progress.id);
      return view.status === 'ready' && shown && textOf(shown).includes(`take ${view.take?.number}`);
    });
  };

  it('acknowledges /video create at once, then posts one progress message that becomes the final video', async () => {
    const media = await sampleMedia(dir);
    const image = h.fake.addAttachment(media.png, 'product.png', 'image/png');
    const audio = h.fake.addAttachment(media.wav, 'song.wav', 'audio/wav');
    const interaction = h.command(
      'create',
      [
        { name: 'prompt', type: 3, value: 'a blue water bottle on a mountain trail' },
        { name: 'image', type: 11, value: image.id },
        { name: 'audio', type: 11, value: audio.id },
        { name: 'duration', type: 4, value: 10 },
        { name: 'model', type: 3, value: 'tiny' },
      ],
      [image, audio],
    );
    const callback = await interaction.callback;
    expect(callback.type).toBe(5);
    expect(Number(callback.data?.flags) & EPHEMERAL).toBe(EPHEMERAL);
    expect(callback.at - interaction.dispatchedAt).toBeLessThan(3000);
    const reply = await h.reply(interaction);
    videoId = /`([0-9a-f-]{36})`/.exec(reply)?.[1] as string;
    expect(reply).toMatch(/started \(animatic preview/);
    progress = await eventually(() =>
      h.fake.messages().find((message) => textOf(message).includes('a blue water bottle')),
    );
    expect(progress.flags & IS_COMPONENTS_V2).toBe(IS_COMPONENTS_V2);
    await settle();
    const final = h.fake.message(progress.id) as FakeMessage;
    expect(final.edits).toBeGreaterThan(1);
    expect(textOf(final)).toMatch(/preview, \$0, would cost ≈ \$\d+\.\d\d/);
    expect(final.attachments.map((a) => a.filename)).toEqual(['final.mp4']);
    expect(customIds(final)).toEqual([`rs:restitch:${videoId}`]);
    const bytes = h.fake.attachmentBytes(final.attachments[0]?.url as string) as Buffer;
    const file = join(dir, 'final.mp4');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, bytes));
    expect((await probe(file)).durationS).toBeCloseTo(10, 1);
  });

  it('puts the storyboard and a card per scene, with its clip and buttons, in a thread started from it', async () => {
    threadId = h.fake.message(progress.id)?.thread?.id as string;
    expect(threadId).toBeDefined();
    const thread = h.fake.messages(threadId);
    expect(textOf(thread[0] as FakeMessage)).toMatch(/Storyboard/);
    expect(thread[0]?.attachments.map((a) => a.filename)).toEqual(['storyboard.png']);
    const view = await h.stack.service.get(ownerOf(ADA), videoId);
    expect(sceneCards()).toHaveLength(view.scenes.length);
    for (const scene of view.scenes) {
      const message = card(scene.index);
      expect(textOf(message)).toContain(`Scene ${scene.index}/${view.scenes.length}`);
      expect(textOf(message)).toContain('tiny · v1 · preview');
      expect(message.attachments.map((a) => a.filename)).toEqual([`scene_0${scene.index}_v1.mp4`]);
      expect(customIds(message)).toEqual([
        `rs:regen:${videoId}:${scene.index}`,
        `rs:edit:${videoId}:${scene.index}`,
        `rs:lipsync:${videoId}:${scene.index}`,
      ]);
    }
    expect(h.fake.requests().some((request) => request.files.some((file) => file.name.endsWith('_v1.mp4')))).toBe(true);
  });

  it('Regenerate makes version 2, shown on the same card, earlier versions still named', async () => {
    const press = h.press(card(1), `rs:regen:${videoId}:1`);
    expect(await h.reply(press)).toBe('Regenerating scene 1…');
    await settle();
    await eventually(() => textOf(card(1)).includes('**v2**'));
    expect(textOf(card(1))).toMatch(/tiny · v2 · preview\nv1 · \*\*v2\*\*/);
    expect(card(1).attachments.map((a) => a.filename)).toEqual([`scene_01_v2.mp4`]);
  });

  it('Edit prompt opens a prefilled modal whose new prompt makes the next version', async () => {
    const press = h.press(card(2), `rs:edit:${videoId}:2`);
    const callback = await press.callback;
    expect(callback.type).toBe(9);
    const view = await h.stack.service.get(ownerOf(ADA), videoId);
    expect(JSON.stringify(callback.data)).toContain(JSON.stringify(view.scenes[1]?.prompt).slice(1, -1));
    const submit = h.submit(`rs:prompt:${videoId}:2`, 'the bottle on a snowy summit at sunrise');
    expect(await h.reply(submit)).toBe('Regenerating scene 2 with your prompt…');
    await settle();
    await eventually(() => textOf(card(2)).includes('snowy summit'));
    expect(textOf(card(2))).toContain('v2');
  });

  it('Lipsync makes a lipsync version of the scene, then a new take', async () => {
    const press = h.press(card(1), `rs:lipsync:${videoId}:1`);
    expect(await h.reply(press)).toMatch(/^Lip-syncing scene 1/);
    await settle();
    await eventually(() => textOf(card(1)).includes('**v3**'));
    const view = await h.stack.service.get(ownerOf(ADA), videoId);
    expect(view.scenes[0]?.versions.at(-1)).toMatchObject({ version: 3, kind: 'lipsync', status: 'succeeded' });
  });

  it('Re-stitch makes a new take on the final card', async () => {
    const before = (await h.stack.service.get(ownerOf(ADA), videoId)).take?.number ?? 0;
    const press = h.press(h.fake.message(progress.id) as FakeMessage, `rs:restitch:${videoId}`);
    expect(await h.reply(press)).toMatch(/^Re-stitching/);
    await settle();
    expect(textOf(h.fake.message(progress.id) as FakeMessage)).toContain(`take ${before + 1}`);
  });

  it('refuses a press by someone else, ephemerally, changing nothing', async () => {
    const works = async () => (await h.stack.database.db.selectFrom('works').select('id').execute()).length;
    const before = await works();
    const press = h.press(card(1), `rs:regen:${videoId}:1`, BOB);
    const callback = await press.callback;
    expect(Number(callback.data?.flags) & EPHEMERAL).toBe(EPHEMERAL);
    expect(await h.reply(press)).toMatch(/^This video is not yours/);
    const modal = h.press(card(1), `rs:edit:${videoId}:1`, BOB);
    expect((await modal.callback).type).toBe(4);
    expect(await works()).toBe(before);
  });

  it('keeps old cards working after a bot restart, and posts no notification twice', async () => {
    const postsBefore = h.fake
      .requests()
      .filter((r) => r.method === 'POST' && /\/channels\/\d+\/messages$/.test(r.path)).length;
    await h.restartBot();
    const press = h.press(card(2), `rs:regen:${videoId}:2`);
    expect(await h.reply(press)).toBe('Regenerating scene 2…');
    await settle();
    await eventually(() => textOf(card(2)).includes('**v3**'));
    const posts = h.fake.requests().filter((r) => r.method === 'POST' && /\/channels\/\d+\/messages$/.test(r.path));
    expect(posts.length).toBe(postsBefore);
    expect(sceneCards()).toHaveLength((await h.stack.service.get(ownerOf(ADA), videoId)).scenes.length);
  });
});
