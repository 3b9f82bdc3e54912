import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../../core/test/helpers/pipeline.js';
import { type ConnectedClient, connectInMemory } from './helpers/in-memory.js';
import { makePng } from './helpers/media.js';
import { ToolCaller } from './helpers/tools.js';

describe('bad input over MCP: isError with an actionable message, nothing created or spent', () => {
  let stack: TestStack;
  let connected: ConnectedClient;
  let tools: ToolCaller;
  let readyVideoId: string;
  let before: Record<string, number>;

  const counts = async () => {
    const db = stack.database.db;
    const count = async (table: 'videos' | 'assets' | 'ledger' | 'clip_versions') =>
      Number((await db.selectFrom(table).select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return {
      videos: await count('videos'),
      assets: await count('assets'),
      ledger: await count('ledger'),
      clipVersions: await count('clip_versions'),
    };
  };

  beforeAll(async () => {
    stack = await createTestStack();
    connected = await connectInMemory(stack.service, 'mallory');
    tools = new ToolCaller(connected.client);
    const video = await tools.ok('create_video', {
      prompt: 'a teapot on a windowsill',
      duration_seconds: 5,
      wait_seconds: 50,
    });
    expect(video.status).toBe('ready');
    readyVideoId = video.video_id;
    before = await counts();
  });

  afterAll(async () => {
    await connected?.close();
    await stack?.close();
  });

  const create = (args: Record<string, unknown>) => ({ prompt: 'a red sneaker ad', duration_seconds: 5, ...args });
  const cases: Array<[string, string, () => Record<string, unknown>, RegExp]> = [
    [
      'a missing prompt',
      'create_video',
      () => ({ duration_seconds: 5 }),
      /^prompt: missing; describe the video you want/,
    ],
    [
      'an empty prompt',
      'create_video',
      () => create({ prompt: '   ' }),
      /prompt is empty: describe the video you want/,
    ],
    ['a duration of 7 s', 'create_video', () => create({ duration_seconds: 7 }), /multiple of 5 from 5 to 120/],
    ['a duration of 300 s', 'estimate_cost', () => create({ duration_seconds: 300 }), /multiple of 5 from 5 to 120/],
    [
      'an unknown model',
      'create_video',
      () => create({ model: 'sora-9' }),
      /Unknown video model 'sora-9'\. Valid: .*hailuo/,
    ],
    [
      'an unknown flavor',
      'create_video',
      () => create({ flavor: 'noir-x' }),
      /Unknown flavor 'noir-x'\. Valid: .*default/,
    ],
    ['an unknown flavor when planning', 'plan_video', () => create({ flavor: 'noir-x' }), /Valid: .*default/],
    ['a non-UUID video id', 'get_video', () => ({ video_id: 'video-42' }), /"video-42" is not a video id/],
    ['an unknown video id', 'get_video', () => ({ video_id: randomUUID() }), /No video .* found for you/],
    [
      'a scene out of range',
      'regenerate_scene',
      () => ({ video_id: readyVideoId, scene: 99 }),
      /Scene 99 does not exist; this video has scenes 1–\d/,
    ],
    ['scene 0', 'regenerate_scene', () => ({ video_id: readyVideoId, scene: 0 }), /^scene: scenes are numbered from 1/],
    [
      'a non-https image URL',
      'create_video',
      () => create({ image: { url: 'http://example.com/shoe.png' } }),
      /not an https:\/\/ link/,
    ],
    [
      'a private image URL',
      'create_video',
      () => create({ image: { url: 'https://127.0.0.1/shoe.png' } }),
      /private or reserved network address/,
    ],
    [
      'bad base64',
      'create_video',
      () => create({ image: { data: 'not*base64!', mime_type: 'image/png' } }),
      /image\.data is not valid base64/,
    ],
    [
      'base64 without a MIME type',
      'create_video',
      () => create({ image: { data: makePng(4, 4).toString('base64') } }),
      /image\.mime_type is required with data; use one of image\/png/,
    ],
    [
      'an image over 4096 px',
      'create_video',
      () => create({ image: { data: makePng(5000, 2).toString('base64'), mime_type: 'image/png' } }),
      /5000×2 px; images may be at most 4096×4096 px/,
    ],
    [
      'an image over 10 MiB',
      'create_video',
      () => create({ image: { data: oversizedPng().toString('base64'), mime_type: 'image/png' } }),
      /MiB; images may be at most 10 MiB/,
    ],
    [
      'lipsync on a video without audio',
      'lipsync_scene',
      () => ({ video_id: readyVideoId, scene: 1 }),
      /no audio track to lip-sync to; give an audio file/,
    ],
    [
      'wait_seconds 500',
      'create_video',
      () => create({ wait_seconds: 500 }),
      /^wait_seconds: use a whole number from 0 to 50 \(clients time out a request after 60 s\)/,
    ],
  ];

  it.each(cases)('refuses %s', async (_label, tool, args, message) => {
    await tools.refused(tool, args(), message);
  });

  it('created, stored and spent nothing for any refused call', async () => {
    expect(await counts()).toEqual(before);
  });
});

/** A real PNG header followed by padding, 10.5 MiB in all. */
function oversizedPng(): Buffer {
  const png = makePng(4, 4);
  return Buffer.concat([png, Buffer.alloc(10.5 * 1024 * 1024 - png.length)]);
}
