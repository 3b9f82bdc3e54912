import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CallToolResult, ResourceLink } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import { makeWav } from './media.js';
import { expectStrictlyIncreasing, TASK_TOOL_NAMES, TOOL_NAMES, type ToolCaller, type ToolOutput } from './tools.js';

/**
 * The tool list: every tool, each with an object input schema, an output schema and annotations;
 * the tools that start work declare `execution.taskSupport: "optional"`, the others no task support.
 */
export async function checkToolList(tools: ToolCaller): Promise<void> {
  const listed = await tools.listTools();
  expect(listed.map((tool) => tool.name).sort()).toEqual([...TOOL_NAMES].sort());
  for (const tool of listed) {
    expect(tool.inputSchema.type).toBe('object');
    expect(tool.outputSchema?.type, tool.name).toBe('object');
    expect(tool.annotations, tool.name).toBeDefined();
    expect(tool.description?.length, tool.name).toBeGreaterThan(20);
  }
  const byName = new Map(listed.map((tool) => [tool.name, tool]));
  for (const name of ['get_video', 'list_models', 'list_flavors', 'plan_video', 'estimate_cost']) {
    expect(byName.get(name)?.annotations?.readOnlyHint, name).toBe(true);
  }
  for (const name of ['create_video', 'regenerate_scene', 'lipsync_scene', 'create_character_references']) {
    expect(byName.get(name)?.annotations?.openWorldHint, name).toBe(true);
    expect(byName.get(name)?.annotations?.readOnlyHint, name).toBe(false);
  }
  for (const tool of listed) {
    const support = TASK_TOOL_NAMES.includes(tool.name as (typeof TASK_TOOL_NAMES)[number]) ? 'optional' : undefined;
    expect(tool.execution?.taskSupport === 'forbidden' ? undefined : tool.execution?.taskSupport, tool.name).toBe(
      support,
    );
  }
  const wait = byName.get('create_video')?.inputSchema.properties?.wait_seconds as { maximum?: number };
  expect(wait.maximum).toBe(50);
}

/** Polls get_video until `done`, within `timeoutMs`. */
export async function pollUntilDone(tools: ToolCaller, videoId: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const video = await tools.ok('get_video', { video_id: videoId });
    if (video.done) return video;
    if (Date.now() > deadline) throw new Error(`video ${videoId} still ${video.stage} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** Resource links of a result, with file:// targets checked to exist. */
export function linksOf(result: CallToolResult): ResourceLink[] {
  const links = result.content.filter((block): block is ResourceLink => block.type === 'resource_link');
  for (const link of links) {
    expect(link.mimeType).toBe('video/mp4');
    if (link.uri.startsWith('file:')) expect(existsSync(fileURLToPath(link.uri)), link.uri).toBe(true);
    else expect(link.uri).toMatch(/^https:\/\//);
  }
  return links;
}

/**
 * plan → create (with an audio track, answers at once) → get_video until ready → regenerate scene 1
 * with a new prompt (waiting, with progress) → stitch → lipsync scene 1. Returns the video id.
 */
export async function runVideoFlow(tools: ToolCaller, options: { model?: string } = {}): Promise<string> {
  const prompt = 'a 10 second ad for a red running shoe';
  const { plan } = await tools.ok('plan_video', { prompt, duration_seconds: 10 });
  expect(plan.durationS).toBe(10);
  expect(plan.beats.length).toBeGreaterThan(0);

  const audio = { data: makeWav(10).toString('base64'), mime_type: 'audio/wav' };
  const model = options.model ? { model: options.model } : {};
  const created = await tools.call('create_video', { prompt, duration_seconds: 10, audio, ...model });
  const started = created.structuredContent as ToolOutput;
  expect(created.isError).toBeFalsy();
  expect(started.video_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(['queued', 'running']).toContain(started.status);
  expect(started.resource_uri).toBe(`reelsmith://videos/${started.video_id}`);
  const videoId: string = started.video_id;

  const ready = await pollUntilDone(tools, videoId);
  expect(ready.status).toBe('ready');
  expect(ready.provider).toBe('animatic');
  expect(ready.preview).toBe(true);
  expect(ready.final_video.mime_type).toBe('video/mp4');
  expect(ready.scenes.length).toBeGreaterThan(0);
  const got = await tools.call('get_video', { video_id: videoId });
  expect(linksOf(got).map((link) => link.name)).toContain(`video-${videoId}-take-1.mp4`);
  expect(linksOf(got).map((link) => link.name)).toContain(`video-${videoId}-take-1-unscored.mp4`);
  expect(linksOf(got).length).toBe(ready.scenes.length + 2);

  const regenerated = await tools.withProgress('regenerate_scene', {
    video_id: videoId,
    scene: 1,
    prompt: 'the shoe splashing through a neon puddle',
    wait_seconds: 50,
  });
  expect(regenerated.output.status).toBe('ready');
  expectStrictlyIncreasing(regenerated.progress);
  expect(regenerated.progress.at(-1)?.progress).toBe(100);
  const scene1 = regenerated.output.scenes[0];
  expect(scene1.current_version).toBe(2);
  expect(scene1.versions.map((v: { kind: string }) => v.kind)).toEqual(['generated', 'regenerated']);
  expect(scene1.prompt).toBe('the shoe splashing through a neon puddle');

  const stitched = await tools.ok('stitch_video', { video_id: videoId, wait_seconds: 50 });
  expect(stitched.status).toBe('ready');
  expect(stitched.take.number).toBeGreaterThan(regenerated.output.take.number);

  const synced = await tools.ok('lipsync_scene', { video_id: videoId, scene: 1, wait_seconds: 50 });
  expect(synced.status).toBe('ready');
  expect(synced.scenes[0].versions.at(-1).kind).toBe('lipsync');
  expect(synced.scenes[0].current_version).toBe(3);
  return videoId;
}
