import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/slack/action-ids.js';
import { type FakeSlackMessage, type FakeSlackView, slackSignature } from '../../src/testing/fake-slack/index.js';
import { sampleMedia } from '../discord/harness.js';
import { snapshot as takeSnapshot } from '../shared/snapshot.js';
import { ADA, eventually, type SlackHarness, startSlackHarness } from './harness.js';

describe('the Slack app refuses bad input with a clear message, changing nothing', () => {
  let h: SlackHarness;
  let dir: string;
  let media: { png: Buffer; wav: Buffer };

  beforeAll(async () => {
    h = await startSlackHarness();
    dir = await mkdtemp(join(tmpdir(), 'reelsmith-slack-bad-'));
    media = await sampleMedia(dir);
  });
  afterAll(async () => {
    await h?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const snapshot = () => takeSnapshot(h.stack);
  /** The answer to a command: the ack's own text, or the `response_url` answer that replaced "Starting…". */
  const answerTo = async (text: string) => {
    const { response, responseUrl } = await h.fake.command(text);
    expect(response.status).toBe(200);
    expect(response.json?.response_type).toBe('ephemeral');
    if (!String(response.json?.text).endsWith('…')) return String(response.json?.text);
    const answer = await eventually(() => h.fake.responses.find((r) => r.responseUrl === responseUrl));
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    return String(answer.body.text);
  };

  it('answers 401 to a forged signature or a timestamp older than 5 minutes, and runs nothing', async () => {
    const before = await snapshot();
    const calls = h.fake.calls.length;
    const body = new URLSearchParams({ command: '/video', text: 'a cat', team_id: h.fake.teamId, user_id: ADA.id });
    const forged = await h.fake.send(body.toString(), 'application/x-www-form-urlencoded', {
      signature: slackSignature('not-the-secret', Math.floor(Date.now() / 1000), body.toString()),
    });
    expect(forged.status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    const old = await h.fake.send(body.toString(), 'application/x-www-form-urlencoded', {
      timestamp: stale,
      signature: slackSignature(h.fake.signingSecret, stale, body.toString()),
    });
    expect(old.status).toBe(401);
    expect(h.fake.calls.length).toBe(calls);
    expect(await snapshot()).toEqual(before);
  });

  const commands: Array<[string, string, RegExp]> = [
    ['an unknown flag', 'a cat on a sofa --speed 3', /Unknown option --speed\. Options here: --duration, --mode/],
    ['a flag without a value', 'a cat on a sofa --duration', /--duration needs a value/],
    ['an empty prompt', '--duration 15', /Say what the video shows/],
    ['a duration that is not a number', 'a cat --duration soon', /--duration takes whole seconds/],
    ['a duration out of range', 'a cat --duration 7', /multiple of 5/],
    ['an unknown model', 'a cat --model nope', /Valid: .*hailuo/],
    ['an unknown flavor', 'a cat --flavor nope', /Valid: .*default/],
    ['an unknown mode', 'a cat --mode opera', /--mode is `ad` or `music_video`/],
    ['status with something that is not an id', 'status of liberty', /takes a video id/],
    [
      'link with a sentence instead of a code',
      'link two worlds of light together',
      /takes a link code like `ABCD-EFGH`/,
    ],
    ['link with a malformed code', 'link ABC', /is not a link code: a code is 8 letters and digits/],
    ['link with a wrong code', 'link ZZZZ-ZZZZ', /ZZZZ-ZZZZ is not a valid link code; check it/],
    ['unlink when nothing is linked', 'unlink', /not linked to any other; there is nothing to unlink/],
    ['unlink with words after it', 'unlink slack', /`\/video unlink` takes nothing after it/],
  ];
  it.each(commands)('/video with %s', async (_label, text, message) => {
    const before = await snapshot();
    expect(await answerTo(text)).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  /** Opens the create form and returns it. */
  const openForm = async (): Promise<FakeSlackView> => {
    const { triggerId } = await h.fake.command('');
    return eventually(() => h.fake.views.find((view) => view.trigger_id === triggerId));
  };
  const promptValue = (value: string) => ({ value: { type: 'plain_text_input', value } });
  const fileValue = (name: string, mimetype: string, bytes: Buffer) => ({
    value: { type: 'file_input', files: [h.fake.userFile(name, mimetype, bytes)] },
  });

  const forms: Array<[string, () => Record<string, Record<string, Record<string, unknown>>>, string, RegExp]> = [
    ['an empty prompt', () => ({ prompt: promptValue('   ') }), 'prompt', /Say what the video shows/],
    [
      'a model that is not in the registry',
      () => ({
        prompt: promptValue('a cat'),
        model: { value: { type: 'static_select', selected_option: { value: 'nope' } } },
      }),
      'model',
      /Valid: .*hailuo/,
    ],
    [
      'an image that is a PDF',
      () => ({
        prompt: promptValue('a cat'),
        image: fileValue('brief.pdf', 'application/pdf', Buffer.from('%PDF-1.7')),
      }),
      'image',
      /brief\.pdf is not a PNG, JPEG or WebP image \(it is application\/pdf\)/,
    ],
    [
      'an image over 10 MB',
      () => ({
        prompt: promptValue('a cat'),
        image: fileValue('big.png', 'image/png', Buffer.concat([media.png, Buffer.alloc(11 * 1024 * 1024)])),
      }),
      'image',
      /big\.png is 11\.0 MB; images can be up to 10 MB/,
    ],
    [
      'an audio track that is an image',
      () => ({ prompt: promptValue('a cat'), audio: fileValue('song.png', 'image/png', media.png) }),
      'audio',
      /not an audio file/,
    ],
  ];
  it.each(forms)('the create form with %s shows the problem at its field', async (_label, values, field, message) => {
    const form = await openForm();
    const before = await snapshot();
    const answer = await h.fake.submitView(form, values());
    expect(answer.status).toBe(200);
    expect(answer.json?.response_action).toBe('errors');
    expect(answer.json).toMatchObject({ errors: { [field]: expect.stringMatching(message) } });
    expect(await snapshot()).toEqual(before);
  });

  it('the create form with a file Slack calls an image that is not one: told after download, nothing stored', async () => {
    const form = await openForm();
    const before = await snapshot();
    const answer = await h.fake.submitView(form, {
      prompt: promptValue('a cat'),
      image: fileValue('cat.png', 'image/png', Buffer.from('not a picture at all')),
    });
    expect(answer.json?.response_action).toBeUndefined();
    const told = await eventually(() =>
      h.fake.ephemerals().find((call) => String(call.args.text).includes('not a PNG, JPEG or WebP')),
    );
    expect(told.args.user).toBe(ADA.id);
    expect(await snapshot()).toEqual(before);
  });

  it('a forged button value, a button of a video that does not exist, and an empty Edit prompt', async () => {
    const made = await h.createVideo('a red kite', 5);
    await h.stack.service.settled(made.videoId);
    const card = await eventually(() =>
      h.thread(made.videoId).find((m) => m.blocks?.some((b) => b.block_id === 'scene_1_actions')),
    );
    const before = await snapshot();
    const forged: FakeSlackMessage = {
      ...card,
      blocks: card.blocks?.map((block) =>
        block.block_id === 'scene_1_actions'
          ? {
              ...block,
              elements: (block.elements as Array<Record<string, unknown>>).map((e) => ({ ...e, value: '../../etc' })),
            }
          : block,
      ),
    };
    await h.fake.action(forged, ACTION.regenerate);
    await eventually(() => h.fake.ephemerals().find((c) => c.args.text === 'This button is not one of ours.'));
    const gone: FakeSlackMessage = {
      ...card,
      blocks: card.blocks?.map((block) =>
        block.block_id === 'scene_1_actions'
          ? {
              ...block,
              elements: (block.elements as Array<Record<string, unknown>>).map((e) => ({
                ...e,
                value: '00000000-0000-4000-8000-000000000000:1',
              })),
            }
          : block,
      ),
    };
    await h.fake.action(gone, ACTION.regenerate);
    await eventually(() => h.fake.ephemerals().find((c) => String(c.args.text).includes('no longer exists')));

    const { triggerId } = await h.fake.action(card, ACTION.editPrompt);
    const modal = await eventually(() => h.fake.views.find((view) => view.trigger_id === triggerId));
    const answer = await h.fake.submitView(modal, { prompt: promptValue('  ') });
    expect(answer.json).toMatchObject({
      response_action: 'errors',
      errors: { prompt: expect.stringMatching(/empty/) },
    });
    expect(await snapshot()).toEqual(before);
  });
});
