import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../../core/test/helpers/pipeline.js';
import { type ConnectedClient, connectInMemory } from './helpers/in-memory.js';
import { callAsTask, taskResult } from './helpers/task-flow.js';
import { TASK_TOOL_NAMES, ToolCaller, textOf } from './helpers/tools.js';

const VIDEO_ID = '3f1c7a52-6a0e-4c43-9a57-0a4f3d0c2b11';
const SCENE_HINT = '1-based scene number (see scenes in get_video)';

describe('argument errors over MCP: isError results that lead with the argument to fix', () => {
  let stack: TestStack;
  let connected: ConnectedClient;
  let tools: ToolCaller;

  beforeAll(async () => {
    stack = await createTestStack();
    connected = await connectInMemory(stack.service, 'argument-tester');
    tools = new ToolCaller(connected.client);
  });

  afterAll(async () => {
    await connected?.close();
    await stack?.close();
  });

  const cases: Array<[string, string, Record<string, unknown>, string[]]> = [
    [
      'scene 0',
      'regenerate_scene',
      { video_id: VIDEO_ID, scene: 0 },
      ['scene: scenes are numbered from 1 (see scenes in get_video).'],
    ],
    [
      'a scene sent as a string',
      'regenerate_scene',
      { video_id: VIDEO_ID, scene: '2' },
      [`scene: send a ${SCENE_HINT}; got the string "2".`],
    ],
    [
      'a fractional scene',
      'lipsync_scene',
      { video_id: VIDEO_ID, scene: 1.5 },
      [`scene: send a whole ${SCENE_HINT}; got 1.5.`],
    ],
    ['a missing scene', 'regenerate_scene', { video_id: VIDEO_ID }, [`scene: missing; send a ${SCENE_HINT}.`]],
    ['a missing video_id', 'get_video', {}, ['video_id: missing; send the video_id create_video returned.']],
    [
      'a misspelt argument beside the missing one',
      'get_video',
      { videoId: VIDEO_ID },
      [
        'video_id: missing; send the video_id create_video returned.',
        'videoId: not an argument of get_video; did you mean video_id?',
      ],
    ],
    [
      'an argument the tool does not take',
      'get_video',
      { video_id: VIDEO_ID, colour: 'red' },
      ['colour: not an argument of get_video; leave it out (it takes video_id, wait_seconds).'],
    ],
    [
      'any argument to a tool that takes none',
      'list_flavors',
      { verbose: true },
      ['verbose: not an argument of list_flavors; leave it out (it takes no arguments).'],
    ],
    [
      'duration instead of duration_seconds',
      'create_video',
      { prompt: 'a red kite', duration: 15 },
      ['duration: not an argument of create_video; did you mean duration_seconds?'],
    ],
    [
      'a duration of 7 s',
      'estimate_cost',
      { prompt: 'a red kite', duration_seconds: 7 },
      ['duration_seconds: use a multiple of 5 from 5 to 120 (for example 15).'],
    ],
    [
      'three problems at once, in argument order',
      'create_video',
      { prompt: 42, duration_seconds: 300, mode: 'film' },
      [
        'prompt: describe the video you want as text, e.g. "a 15 s ad for a luxury watch"; got 42.',
        'duration_seconds: use a multiple of 5 from 5 to 120 (for example 15).',
        'mode: use "ad", "music_video" or "image_pairs".',
      ],
    ],
    [
      'wait_seconds 500',
      'get_video',
      { video_id: VIDEO_ID, wait_seconds: 500 },
      [
        'wait_seconds: use a whole number from 0 to 50 (clients time out a request after 60 s), or leave it out and poll get_video instead.',
      ],
    ],
    [
      'a nested field of the wrong type',
      'create_video',
      { prompt: 'a red kite', image: { url: 5 } },
      ['image.url: send text; got 5.'],
    ],
    [
      'an image given as a bare URL',
      'create_video',
      { prompt: 'a red kite', image: 'https://example.com/kite.png' },
      [
        'image: send an object: { "url": "https://…" }, or { "data": "<base64>", "mime_type": "image/png" }; got the string "https://example.com/kite.png".',
      ],
    ],
    [
      'a wrong item in a list',
      'create_video',
      { prompt: 'x', mode: 'image_pairs', image_asset_ids: ['a', 2] },
      ['image_asset_ids[1]: send text; got 2.'],
    ],
    [
      'too long a brand context',
      'create_video',
      { prompt: 'x', mode: 'image_pairs', brand_context: 'b'.repeat(4001) },
      ['brand_context: send at most 4000 characters.'],
    ],
    [
      'a boolean sent as a string',
      'estimate_cost',
      { prompt: 'a red kite', has_image: 'yes' },
      ['has_image: send true or false; got the string "yes".'],
    ],
    [
      'a count out of range',
      'create_character_references',
      { description: 'a cellist', count: 9 },
      ['count: use a whole number from 1 to 4.'],
    ],
    ['an unknown model kind', 'list_models', { kind: 'sound' }, ['kind: use one of video, image, music, lipsync.']],
  ];

  it.each(cases)('refuses %s', async (_label, tool, args, lines) => {
    expect(await tools.invalidArguments(tool, args)).toEqual(lines);
  });

  it('refuses an unknown argument on every listed tool, so every tool is registered through registerTool', async () => {
    for (const tool of await tools.listTools()) {
      const lines = await tools.invalidArguments(tool.name, { not_an_argument: 1 });
      expect(lines.at(-1), tool.name).toMatch(new RegExp(`^not_an_argument: not an argument of ${tool.name}; `));
      const required = tool.inputSchema.required ?? [];
      expect(lines.slice(0, required.length), tool.name).toEqual(
        required.map((name) => expect.stringMatching(new RegExp(`^${name}: missing; `))),
      );
    }
  });

  it('still lists the strict input schemas', async () => {
    const listed = new Map((await tools.listTools()).map((tool) => [tool.name, tool.inputSchema]));
    const regenerate = listed.get('regenerate_scene');
    expect(regenerate?.required).toEqual(['video_id', 'scene']);
    expect(regenerate?.additionalProperties).toBe(false);
    expect(regenerate?.properties?.scene).toMatchObject({ type: 'integer', minimum: 1 });
    const create = listed.get('create_video');
    expect(create?.properties?.duration_seconds).toMatchObject({ minimum: 5, maximum: 120, multipleOf: 5 });
    expect(create?.properties?.mode).toMatchObject({ enum: ['ad', 'music_video', 'image_pairs'] });
    for (const [name, schema] of listed) expect(schema.additionalProperties, name).toBe(false);
  });

  it('answers a task call with arguments that do not fit as a failed task whose result is the same answer', async () => {
    const plain = await tools.call('regenerate_scene', { video_id: VIDEO_ID, scene: 0, colour: 'red' });
    const { task } = await callAsTask(connected.client, 'regenerate_scene', {
      video_id: VIDEO_ID,
      scene: 0,
      colour: 'red',
    });
    const lines = [
      'scene: scenes are numbered from 1 (see scenes in get_video).',
      'colour: not an argument of regenerate_scene; leave it out (it takes video_id, scene, prompt, wait_seconds).',
    ];
    expect(textOf(plain).split('\n')).toEqual(lines);
    expect(await connected.client.experimental.tasks.getTask(task.taskId)).toMatchObject({
      status: 'failed',
      statusMessage: lines.join('\n'),
    });
    const result = await taskResult(connected.client, task.taskId);
    expect(result.isError).toBe(true);
    expect(result.content).toEqual(plain.content);
    expect(result._meta).toMatchObject(plain._meta ?? {});
    expect(result._meta?.['reelsmith/invalid_arguments']).toEqual([
      { argument: 'scene', message: 'scenes are numbered from 1 (see scenes in get_video).' },
      { argument: 'colour', message: expect.stringMatching(/^not an argument of regenerate_scene/) },
    ]);
    // Every task tool: a task, never the SDK's "Invalid task creation result" error.
    for (const name of TASK_TOOL_NAMES) {
      const refused = await callAsTask(connected.client, name, { not_an_argument: 1 });
      const answer = await taskResult(connected.client, refused.task.taskId);
      expect(answer._meta?.['reelsmith/error_code'], name).toBe('invalid_arguments');
      expect(textOf(answer), name).toMatch(new RegExp(`^not_an_argument: not an argument of ${name}; `, 'm'));
    }
  });

  it('ran no tool for a refused call: nothing was created', async () => {
    await tools.invalidArguments('create_video', { prompt: 'a red kite', duration_seconds: 15, wait: 5 });
    const db = stack.database.db;
    expect(await db.selectFrom('videos').selectAll().execute()).toEqual([]);
  });
});
