import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pngHeaderOnly } from '../../../core/test/assets/image-fixtures.js';
import {
  type CommandOption,
  EPHEMERAL,
  type FakeAttachment,
  type FakeMessage,
} from '../../src/testing/fake-discord/index.js';
import { snapshot as takeSnapshot } from '../shared/snapshot.js';
import { ADA, type DiscordHarness, eventually, ownerOf, sampleMedia, startDiscordHarness, textOf } from './harness.js';

describe('the Discord bot refuses bad input ephemerally, changing nothing', () => {
  let h: DiscordHarness;
  let dir: string;
  let media: { png: Buffer; wav: Buffer };
  let cancelled: { videoId: string; card: FakeMessage };

  beforeAll(async () => {
    h = await startDiscordHarness();
    dir = await mkdtemp(join(tmpdir(), 'reelsmith-discord-bad-'));
    media = await sampleMedia(dir);
    const made = await h.stack.service.create(
      ownerOf(ADA),
      { prompt: 'a lantern in fog', durationS: 20, model: 'tiny' },
      { origin: { platform: 'discord', channelId: h.fake.channelId } },
    );
    const progress = await eventually(() =>
      h.fake.messages().find((message) => textOf(message).includes('a lantern in fog')),
    );
    await h.stack.service.cancel(ownerOf(ADA), made.videoId);
    // A step in flight when the cancel came finishes first: nothing may still be writing when the tests count rows.
    await h.stack.service.settled(made.videoId);
    cancelled = { videoId: made.videoId, card: progress };
  });
  afterAll(async () => {
    await h?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const snapshot = () => takeSnapshot(h.stack);

  const prompt = (value: string): CommandOption => ({ name: 'prompt', type: 3, value });
  const attach = (name: string, bytes: Buffer, type: string, option = 'image'): [CommandOption, FakeAttachment] => {
    const attachment = h.fake.addAttachment(bytes, name, type);
    return [{ name: option, type: 11, value: attachment.id }, attachment];
  };

  const commands: Array<[string, () => [CommandOption[], FakeAttachment[]], RegExp]> = [
    ['a prompt of spaces', () => [[prompt('   ')], []], /prompt is empty/],
    [
      'a duration out of range',
      () => [[prompt('a cat'), { name: 'duration', type: 4, value: 7 }], []],
      /multiple of 5/,
    ],
    ['an unknown model', () => [[prompt('a cat'), { name: 'model', type: 3, value: 'nope' }], []], /Valid: .*hailuo/],
    [
      'an unknown flavor',
      () => [[prompt('a cat'), { name: 'flavor', type: 3, value: 'nope' }], []],
      /Valid: .*default/,
    ],
    [
      'an image that is not an image',
      () => {
        const [option, file] = attach('cat.png', Buffer.from('not a picture at all'), 'image/png');
        return [[prompt('a cat'), option], [file]];
      },
      /not a PNG, JPEG or WebP/,
    ],
    [
      'an image whose header says 20000×20000',
      () => {
        const [option, file] = attach('huge.png', pngHeaderOnly(20000, 20000), 'image/png');
        return [[prompt('a cat'), option], [file]];
      },
      /20000×20000|4096/,
    ],
    [
      'an image over the size limit',
      () => {
        const [option, file] = attach(
          'big.png',
          Buffer.concat([media.png, Buffer.alloc(11 * 1024 * 1024)]),
          'image/png',
        );
        return [[prompt('a cat'), option], [file]];
      },
      /MiB|too large|larger/i,
    ],
    [
      'an audio file that is not audio',
      () => {
        const [option, file] = attach('song.mp3', media.png, 'audio/mpeg', 'audio');
        return [[prompt('a cat'), option], [file]];
      },
      /audio/i,
    ],
  ];

  it.each(commands)('/video create with %s', async (_label, build, message) => {
    const before = await snapshot();
    const [options, attachments] = build();
    const interaction = h.command('create', options, attachments);
    const callback = await interaction.callback;
    expect(Number(callback.data?.flags) & EPHEMERAL).toBe(EPHEMERAL);
    expect(await h.reply(interaction)).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  it('a button of a cancelled video', async () => {
    const before = await snapshot();
    const press = h.press(cancelled.card, `rs:regen:${cancelled.videoId}:1`);
    expect(await h.reply(press)).toMatch(/was cancelled; start a new one/);
    expect(await snapshot()).toEqual(before);
  });

  it('a button of a video that does not exist, and a forged button', async () => {
    const before = await snapshot();
    const gone = h.press(cancelled.card, 'rs:restitch:00000000-0000-4000-8000-000000000000');
    expect(await h.reply(gone)).toMatch(/not yours \(or no longer exists\)/);
    const forged = h.press(cancelled.card, 'rs:regen:../../etc');
    expect((await forged.callback).data?.content).toMatch(/not one of ours/);
    expect(await snapshot()).toEqual(before);
  });

  it('an Edit prompt modal submitted with an empty prompt', async () => {
    const made = await h.stack.service.create(ownerOf(ADA), { prompt: 'a red kite', durationS: 5, model: 'tiny' });
    await h.stack.service.settled(made.videoId);
    const before = await snapshot();
    const submit = h.submit(`rs:prompt:${made.videoId}:1`, '    ');
    expect(await h.reply(submit)).toMatch(/prompt is empty/);
    expect(await snapshot()).toEqual(before);
  });
});
