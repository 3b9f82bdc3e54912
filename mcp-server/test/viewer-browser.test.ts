import { once } from 'node:events';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { createLogger } from '@reelsmith/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../../core/test/helpers/pipeline.js';
import { createHttpApp, type HttpApp } from '../src/http/http-app.js';
import { connectHttp } from './helpers/http-child.js';
import { type ConnectedClient, connectInMemory } from './helpers/in-memory.js';
import { ToolCaller, type ToolOutput } from './helpers/tools.js';
import { type OpenedView, startTestHost, type TestHost } from './host-harness/test-host.js';

/** What the test reads of a `<video>` in the page (this program has no DOM types). */
interface MediaElement {
  readyState: number;
  currentSrc: string;
  duration: number;
  error: { message: string } | null;
}
type PageGlobals = { document: { querySelector(selector: string): MediaElement | null } };

/** The view's player, once it has loaded metadata (or failed: then `error` says why). */
async function playerOf(opened: OpenedView) {
  const handle = await opened.view.waitForFunction(
    () => {
      const player = (globalThis as unknown as PageGlobals).document.querySelector('#player');
      if (!player || (player.readyState < 1 && !player.error)) return undefined;
      return {
        src: player.currentSrc,
        readyState: player.readyState,
        duration: player.duration,
        error: player.error?.message,
      };
    },
    undefined,
    { timeout: 30_000 },
  );
  return (await handle.jsonValue()) as { src: string; readyState: number; duration: number; error?: string };
}

describe('the viewer (ui://reelsmith/video.html) in headless Chromium behind a test host', () => {
  let stack: TestStack;
  let alice: ConnectedClient;
  let http: HttpApp;
  let httpClient: Client;
  let httpOrigin: string;
  let host: TestHost;
  let video: ToolOutput;

  beforeAll(async () => {
    stack = await createTestStack();
    alice = await connectInMemory(stack.service, 'alice');
    video = await new ToolCaller(alice.client).ok('create_video', {
      prompt: 'a 10 second ad for a red running shoe',
      duration_seconds: 10,
      wait_seconds: 50,
    });
    expect(video.status).toBe('ready');
    http = createHttpApp({
      service: stack.service,
      log: createLogger({ level: 'silent' }),
      auth: { tokens: new Map(), anonymousUserId: 'alice' },
      allowedHosts: ['127.0.0.1', 'localhost'],
      pollIntervalMs: 200,
    });
    http.server.listen(0, '127.0.0.1');
    await once(http.server, 'listening');
    const address = http.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    httpOrigin = `http://127.0.0.1:${address.port}`;
    httpClient = await connectHttp(`${httpOrigin}/mcp`, undefined);
    host = await startTestHost();
  }, 120_000);

  afterAll(async () => {
    await host?.close();
    await httpClient?.close();
    await http?.close();
    await alice?.close();
    await stack?.close();
  });

  it('over stdio-style transports plays the stitched video from resources/read blobs, with a card per scene', async () => {
    const opened = await host.open(alice.client, 'get_video', { video_id: video.video_id });
    try {
      const player = await playerOf(opened);
      expect(player.error, opened.logs.join('\n')).toBeUndefined();
      expect(player.src).toMatch(/^data:video\/mp4;base64,/);
      expect(player.readyState).toBeGreaterThanOrEqual(1);
      expect(player.duration).toBeCloseTo(video.take.duration_seconds, 0);
      expect(opened.reads).toContain(`reelsmith://videos/${video.video_id}/files/take-1.mp4`);
      const cards = await opened.view.locator('.scene').count();
      expect(cards).toBe(video.scenes.length);
      await expect
        .poll(() =>
          opened.view
            .locator('.scene[data-scene="1"] .clip')
            .evaluate((clip) => (clip as unknown as MediaElement).readyState),
        )
        .toBeGreaterThanOrEqual(1);
    } finally {
      await opened.close();
    }
  });

  it("over HTTP plays the signed /media link; a scene card's Regenerate calls regenerate_scene and the card shows the new version live", async () => {
    const opened = await host.open(httpClient, 'get_video', { video_id: video.video_id });
    try {
      const player = await playerOf(opened);
      expect(player.error, opened.logs.join('\n')).toBeUndefined();
      expect(player.src.startsWith(`${httpOrigin}/media/${video.video_id}/take-1.mp4?`)).toBe(true);
      expect(player.duration).toBeCloseTo(video.take.duration_seconds, 0);
      const card = opened.view.locator('.scene[data-scene="1"]');
      expect(await card.locator('.version').textContent()).toBe('v1');

      await card.locator('button.regenerate').click();
      await expect.poll(() => opened.calls.map((call) => call.name)).toContain('regenerate_scene');
      expect(opened.calls.find((call) => call.name === 'regenerate_scene')?.arguments).toEqual({
        video_id: video.video_id,
        scene: 1,
      });
      await expect.poll(() => card.locator('.version').textContent(), { timeout: 60_000 }).toBe('v2');
      expect(opened.calls.filter((call) => call.name === 'get_video').length).toBeGreaterThan(0);

      // The re-stitched, re-scored take replaces the player's video once the work is done.
      await expect.poll(() => playerOf(opened).then((p) => p.src), { timeout: 60_000 }).toContain('/take-2.mp4?');
      await expect
        .poll(() => opened.view.locator('#status').getAttribute('data-status'), { timeout: 60_000 })
        .toBe('ready');

      const after = await new ToolCaller(alice.client).ok('get_video', { video_id: video.video_id });
      expect(after.status).toBe('ready');
      expect(after.scenes[0].current_version).toBe(2);
      expect(after.scenes[0].versions.map((v: { kind: string }) => v.kind)).toEqual(['generated', 'regenerated']);
    } finally {
      await opened.close();
    }
  });
});
