import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../../core/test/helpers/pipeline.js';
import { VIEWER_URI } from '../src/viewer/viewer-resource.js';
import { type ConnectedClient, connectInMemory } from './helpers/in-memory.js';
import { ToolCaller } from './helpers/tools.js';

describe('two MCP users on one service', () => {
  let stack: TestStack;
  let alice: ConnectedClient;
  let bob: ConnectedClient;

  beforeAll(async () => {
    stack = await createTestStack();
    alice = await connectInMemory(stack.service, 'alice');
    bob = await connectInMemory(stack.service, 'bob');
  });

  afterAll(async () => {
    await alice?.close();
    await bob?.close();
    await stack?.close();
  });

  it("never see each other's videos: another user's id behaves as not found", async () => {
    const aliceTools = new ToolCaller(alice.client);
    const bobTools = new ToolCaller(bob.client);
    const video = await aliceTools.ok('create_video', {
      prompt: 'a lighthouse at dusk',
      duration_seconds: 5,
      wait_seconds: 50,
    });
    const id: string = video.video_id;

    for (const [tool, args] of [
      ['get_video', { video_id: id }],
      ['regenerate_scene', { video_id: id, scene: 1 }],
      ['stitch_video', { video_id: id }],
      ['cancel_video', { video_id: id }],
    ] as const) {
      await bobTools.refused(tool, args, new RegExp(`No video ${id} found for you`));
    }
    expect((await bob.client.listResources()).resources.map((resource) => resource.uri)).toEqual([VIEWER_URI]);
    await expect(bob.client.readResource({ uri: `reelsmith://videos/${id}` })).rejects.toThrow(/No video .* found/);

    const aliceResources = (await alice.client.listResources()).resources.map((resource) => resource.uri);
    expect(aliceResources).toEqual([VIEWER_URI, `reelsmith://videos/${id}`]);
    expect((await aliceTools.ok('get_video', { video_id: id })).status).toBe('ready');
  });
});
