import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../../core/test/helpers/pipeline.js';
import { type ConnectedClient, connectInMemory } from './helpers/in-memory.js';
import { ToolCaller } from './helpers/tools.js';

describe('catalog, estimates, character references and cancel over MCP', () => {
  let stack: TestStack;
  let connected: ConnectedClient;
  let tools: ToolCaller;

  beforeAll(async () => {
    stack = await createTestStack();
    connected = await connectInMemory(stack.service, 'carol');
    tools = new ToolCaller(connected.client);
  });

  afterAll(async () => {
    await connected?.close();
    await stack?.close();
  });

  it('lists models (filtered by kind) and flavors', async () => {
    const { models } = await tools.ok('list_models', { kind: 'video' });
    expect(models.map((model: { key: string }) => model.key)).toEqual(expect.arrayContaining(['hailuo', 'tiny']));
    expect(models.every((model: { kind: string }) => model.kind === 'video')).toBe(true);
    const { flavors } = await tools.ok('list_flavors', {});
    expect(flavors.map((flavor: { name: string }) => flavor.name)).toContain('default');
  });

  it('estimates what a video would cost, charging nothing on the animatic', async () => {
    const estimate = await tools.ok('estimate_cost', { prompt: 'a watch ad', duration_seconds: 15, model: 'hailuo' });
    expect(estimate).toMatchObject({ model: 'hailuo', provider: 'animatic', duration_seconds: 15, charged_usd: 0 });
    expect(estimate.total_usd).toBeGreaterThan(0);
    expect(estimate.lines.length).toBeGreaterThan(0);
  });

  it('creates character references and makes a video with one; picking one after the storyboard is refused', async () => {
    const { references } = await tools.ok('create_character_references', {
      description: 'a red-haired violinist in a silver coat',
      count: 2,
    });
    expect(references).toHaveLength(2);
    const video = await tools.ok('create_video', {
      prompt: 'a violinist on a rooftop at night',
      mode: 'music_video',
      character_description: 'a red-haired violinist in a silver coat',
      character_reference_id: references[0].asset_id,
      duration_seconds: 5,
      wait_seconds: 50,
    });
    expect(video.status).toBe('ready');
    await tools.refused(
      'pick_character_reference',
      { video_id: video.video_id, asset_id: references[1].asset_id },
      /pick the character before its storyboard is drawn/,
    );
  });

  it('cancels a running video and says so when cancelled again', async () => {
    const video = await tools.ok('create_video', { prompt: 'a slow pan over a desert', duration_seconds: 20 });
    const cancelled = await tools.ok('cancel_video', { video_id: video.video_id });
    expect(cancelled).toMatchObject({ status: 'cancelled', done: true });
    expect((await tools.ok('cancel_video', { video_id: video.video_id })).status).toBe('cancelled');
    await tools.refused('regenerate_scene', { video_id: video.video_id, scene: 1 }, /was cancelled; start a new one/);
  });
});

describe('approval over MCP', () => {
  let stack: TestStack;
  let connected: ConnectedClient;
  let tools: ToolCaller;

  beforeAll(async () => {
    // Below zero, every video waits for approval, even a free animatic.
    stack = await createTestStack({ approvalThresholdUsd: -1 });
    connected = await connectInMemory(stack.service, 'dave');
    tools = new ToolCaller(connected.client);
  });

  afterAll(async () => {
    await connected?.close();
    await stack?.close();
  });

  it('creates a video that waits for approval, takes a character pick meanwhile, and runs once approved', async () => {
    const waiting = await tools.ok('create_video', { prompt: 'a cellist in the rain', duration_seconds: 5 });
    expect(waiting).toMatchObject({ status: 'awaiting_approval', done: true });
    expect(waiting.next_step).toMatch(/approve_video/);
    const { references } = await tools.ok('create_character_references', { description: 'a cellist', count: 1 });
    await tools.ok('pick_character_reference', { video_id: waiting.video_id, asset_id: references[0].asset_id });
    const approved = await tools.ok('approve_video', { video_id: waiting.video_id, wait_seconds: 50 });
    expect(approved.status).toBe('ready');
    await tools.refused(
      'approve_video',
      { video_id: waiting.video_id },
      /only a video awaiting approval can be approved/,
    );
  });

  it('makes a preview with no approval, and refuses render_video without a paid provider', async () => {
    const preview = await tools.ok('create_video', {
      prompt: 'a lighthouse at dusk',
      duration_seconds: 5,
      preview: true,
      wait_seconds: 50,
    });
    expect(preview).toMatchObject({ status: 'ready', preview: true, preview_of: null });
    await tools.refused('render_video', { video_id: preview.video_id }, /no paid provider.*REPLICATE_API_TOKEN/);
  });
});
