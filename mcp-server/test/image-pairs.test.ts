import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../../core/test/helpers/pipeline.js';
import { type ConnectedClient, connectInMemory } from './helpers/in-memory.js';
import { makePng } from './helpers/media.js';
import { ToolCaller } from './helpers/tools.js';

describe('create_video in image_pairs mode over MCP', () => {
  let stack: TestStack;
  let connected: ConnectedClient;
  let tools: ToolCaller;
  beforeAll(async () => {
    stack = await createTestStack();
    connected = await connectInMemory(stack.service, 'pairs-mcp');
    tools = new ToolCaller(connected.client);
  });
  afterAll(async () => {
    await connected?.close();
    await stack?.close();
  });

  const png = () => ({ data: makePng(64, 36).toString('base64'), mime_type: 'image/png' });

  it('uploads the images and makes a video of one scene per pair', async () => {
    const video = await tools.ok('create_video', {
      prompt: 'reveal',
      mode: 'image_pairs',
      images: [png(), png()],
      model: 'tiny-pairs',
      clip_duration_s: 2,
      wait_seconds: 50,
    });
    expect(video.status).toBe('ready');
    expect(video.scenes).toHaveLength(1);
  });

  it('refuses a single image and a model without a last frame, storing nothing', async () => {
    const assets = await stack.database.db.selectFrom('assets').selectAll().execute();
    await tools.refused('create_video', { prompt: 'x', mode: 'image_pairs', images: [png()] }, /at least 2 images/);
    await tools.refused(
      'create_video',
      { prompt: 'x', mode: 'image_pairs', images: [png(), png()], model: 'tiny' },
      /no last-frame input.*Use one of/,
    );
    expect(await stack.database.db.selectFrom('assets').selectAll().execute()).toEqual(assets);
  });
});
