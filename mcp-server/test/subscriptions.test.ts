import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { VideoEvent } from '@reelsmith/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../../core/test/helpers/pipeline.js';
import { type ConnectedClient, connectInMemory } from './helpers/in-memory.js';
import { makeWav } from './helpers/media.js';
import { callAsTask, followTask, taskResult } from './helpers/task-flow.js';
import { ToolCaller } from './helpers/tools.js';

/** Every `notifications/resources/updated` uri the client receives, in order. */
function recordUpdates(connected: ConnectedClient): string[] {
  const uris: string[] = [];
  connected.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
    uris.push(notification.params.uri);
  });
  return uris;
}

/** The events of the video's next run, as another front sees them (ends with the run). */
function collectRun(stack: TestStack, videoId: string): { events: VideoEvent[]; done: Promise<void> } {
  const events: VideoEvent[] = [];
  const done = (async () => {
    for await (const event of stack.service.events(videoId)) events.push(event);
  })();
  return { events, done };
}

describe('resource subscriptions on reelsmith://videos/{id}', () => {
  let stack: TestStack;
  let alice: ConnectedClient;
  let bob: ConnectedClient;
  /** Every video id alice's server announced through its `videoChanged` hook. */
  const changed: string[] = [];
  let aliceTools: ToolCaller;
  let videoId: string;
  let uri: string;

  beforeAll(async () => {
    stack = await createTestStack();
    alice = await connectInMemory(stack.service, 'alice', { videoChanged: (id) => changed.push(id) });
    bob = await connectInMemory(stack.service, 'bob');
    aliceTools = new ToolCaller(alice.client);
    const video = await aliceTools.ok('create_video', {
      prompt: 'a lighthouse at dusk',
      duration_seconds: 5,
      wait_seconds: 50,
    });
    expect(video.status).toBe('ready');
    videoId = video.video_id;
    uri = video.resource_uri;
  });

  afterAll(async () => {
    await alice?.close();
    await bob?.close();
    await stack?.close();
  });

  it('sends notifications/resources/updated for every change of a subscribed video, run after run, until unsubscribed', async () => {
    expect(alice.client.getServerCapabilities()?.resources?.subscribe).toBe(true);
    const updates = recordUpdates(alice);
    await alice.client.subscribeResource({ uri });
    await alice.client.subscribeResource({ uri }); // twice is still one subscription

    const regenerateRun = collectRun(stack, videoId);
    const started = await aliceTools.ok('regenerate_scene', { video_id: videoId, scene: 1 });
    expect(started.done).toBe(false);
    // The claim (ready → generating) has no event: the tool's own change is announced at once.
    await expect.poll(() => updates.length).toBeGreaterThanOrEqual(1);
    await regenerateRun.done;
    expect(regenerateRun.events.at(-1)?.kind).toBe('video_ready');
    // An update per event of the run (the collector may have started a little late, never early),
    // plus the one for the claim; each names the video's uri.
    expect(regenerateRun.events.length).toBeGreaterThan(1);
    await expect.poll(() => updates.length).toBeGreaterThanOrEqual(regenerateRun.events.length + 1);
    expect(new Set(updates)).toEqual(new Set([uri]));
    const read = await alice.client.readResource({ uri });
    const content = read.contents[0];
    const state = JSON.parse(content && 'text' in content ? content.text : '{}');
    expect(state.scenes[0].current_version).toBe(2);

    // A later run (after the last one ended) still notifies: the subscription outlives runs.
    const afterFirstRun = updates.length;
    const stitchRun = collectRun(stack, videoId);
    await aliceTools.ok('stitch_video', { video_id: videoId, wait_seconds: 50 });
    await stitchRun.done;
    expect(stitchRun.events.length).toBeGreaterThan(0);
    await expect.poll(() => updates.length).toBeGreaterThanOrEqual(afterFirstRun + stitchRun.events.length + 1);

    await alice.client.unsubscribeResource({ uri });
    const afterUnsubscribe = updates.length;
    await aliceTools.ok('stitch_video', { video_id: videoId, wait_seconds: 50 });
    await stack.service.settled(videoId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(updates.length).toBe(afterUnsubscribe);
  });

  it("refuses a subscription to another user's video or to anything but a video, and records nothing", async () => {
    const bobUpdates = recordUpdates(bob);
    await expect(bob.client.subscribeResource({ uri })).rejects.toThrow(
      new RegExp(`No video ${videoId} found for you`),
    );
    await expect(bob.client.subscribeResource({ uri: 'ui://reelsmith/video.html' })).rejects.toThrow(
      /Only videos can be subscribed to: send a reelsmith:\/\/videos\/\{id\} uri/,
    );
    await expect(
      bob.client.subscribeResource({ uri: `reelsmith://videos/${videoId}/files/take-1.mp4` }),
    ).rejects.toThrow(/Only videos can be subscribed to/);

    await aliceTools.ok('regenerate_scene', { video_id: videoId, scene: 1, wait_seconds: 50 });
    await stack.service.settled(videoId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bobUpdates).toEqual([]);
  });

  it('announces the change of regenerate_scene and lipsync_scene run as MCP tasks too, at once', async () => {
    const updates = recordUpdates(alice);
    await alice.client.subscribeResource({ uri });
    const calls = [
      { name: 'regenerate_scene', args: { video_id: videoId, scene: 1, prompt: 'the lamp turning slowly' } },
      {
        name: 'lipsync_scene',
        args: { video_id: videoId, scene: 1, audio: { data: makeWav(5).toString('base64'), mime_type: 'audio/wav' } },
      },
    ];
    for (const { name, args } of calls) {
      const before = { changed: changed.length, updates: updates.length };
      const { task } = await callAsTask(alice.client, name, args);
      // The tool's change is announced before the task is even answered, with no event needed.
      expect(changed.slice(before.changed), name).toEqual([videoId]);
      await expect.poll(() => updates.length, { message: name }).toBeGreaterThan(before.updates);
      expect((await followTask([alice.client], task.taskId)).at(-1)?.status, name).toBe('completed');
      expect((await taskResult(alice.client, task.taskId)).isError, name).toBeFalsy();
      await stack.service.settled(videoId);
    }
    await alice.client.unsubscribeResource({ uri });
  });
});
