import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../../core/test/helpers/pipeline.js';
import { type ConnectedClient, connectInMemory } from './helpers/in-memory.js';
import { expectStrictlyIncreasing, ToolCaller } from './helpers/tools.js';
import { checkToolList, runVideoFlow } from './helpers/video-flow.js';

describe('MCP server over an in-memory transport', () => {
  let stack: TestStack;
  let alice: ConnectedClient;
  let tools: ToolCaller;

  beforeAll(async () => {
    stack = await createTestStack();
    alice = await connectInMemory(stack.service, 'alice');
    tools = new ToolCaller(alice.client);
  });

  afterAll(async () => {
    await alice?.close();
    await stack?.close();
  });

  it('lists every tool with an input schema, an output schema and annotations', async () => {
    await checkToolList(tools);
  });

  it('makes a video end to end: plan, create, poll until ready, regenerate, stitch, lipsync', async () => {
    const videoId = await runVideoFlow(tools);
    const listed = await alice.client.listResources();
    expect(listed.resources.map((resource) => resource.uri)).toContain(`reelsmith://videos/${videoId}`);
    const read = await alice.client.readResource({ uri: `reelsmith://videos/${videoId}` });
    const content = read.contents[0];
    expect(content?.mimeType).toBe('application/json');
    const json = JSON.parse(content && 'text' in content ? content.text : '{}');
    expect(json).toMatchObject({ video_id: videoId, status: 'ready' });
    expect(json.scenes[0].versions).toHaveLength(3);
  });

  it('create_video with wait_seconds answers when ready, with strictly increasing progress', async () => {
    const { output, progress } = await tools.withProgress('create_video', {
      prompt: 'a perfume bottle on black sand',
      duration_seconds: 5,
      wait_seconds: 50,
    });
    expect(output.status).toBe('ready');
    expect(output.done).toBe(true);
    expectStrictlyIncreasing(progress);
    expect(progress.at(-1)?.progress).toBe(100);
  });

  it('create_video without wait_seconds answers at once while the work runs on', async () => {
    const output = await tools.ok('create_video', { prompt: 'a bicycle bell close-up', duration_seconds: 5 });
    expect(output.done).toBe(false);
    expect(['queued', 'running']).toContain(output.status);
    await stack.service.settled(output.video_id);
  });
});
