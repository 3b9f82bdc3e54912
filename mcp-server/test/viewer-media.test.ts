import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createLogger } from '@reelsmith/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3BlobStore } from '../../core/src/storage/s3.js';
import { createTestStack, type TestStack } from '../../core/test/helpers/pipeline.js';
import { createHttpApp, type HttpApp } from '../src/http/http-app.js';
import { createMediaSigner } from '../src/http/media-links.js';
import { serveMedia } from '../src/http/media-route.js';
import { storageOrigins } from '../src/http/storage-origins.js';
import { mediaFilesOf } from '../src/viewer/media-files.js';
import { VIEWER_META_KEY, type ViewerMeta } from '../src/viewer/viewer-meta.js';
import { VIEWER_URI } from '../src/viewer/viewer-resource.js';
import { connectHttp } from './helpers/http-child.js';
import { type ConnectedClient, connectInMemory } from './helpers/in-memory.js';
import { callAsTask, followTask, taskResult } from './helpers/task-flow.js';
import { ToolCaller, type ToolOutput } from './helpers/tools.js';

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

async function viewerOf(client: Client, videoId: string): Promise<{ output: ToolOutput; meta: ViewerMeta }> {
  const result = (await client.callTool({ name: 'get_video', arguments: { video_id: videoId } })) as CallToolResult;
  return { output: result.structuredContent as ToolOutput, meta: result._meta?.[VIEWER_META_KEY] as ViewerMeta };
}

describe('the viewer resource and how media reach it', () => {
  let stack: TestStack;
  let alice: ConnectedClient;
  let bob: ConnectedClient;
  let video: ToolOutput;
  let finalBytes: Buffer;

  beforeAll(async () => {
    stack = await createTestStack();
    alice = await connectInMemory(stack.service, 'alice');
    bob = await connectInMemory(stack.service, 'bob');
    video = await new ToolCaller(alice.client).ok('create_video', {
      prompt: 'a perfume bottle on black sand',
      duration_seconds: 5,
      wait_seconds: 50,
    });
    expect(video.status).toBe('ready');
    finalBytes = await readFile(fileURLToPath(video.final_video.uri));
  });

  afterAll(async () => {
    await alice?.close();
    await bob?.close();
    await stack?.close();
  });

  it('links create_video and get_video to ui://reelsmith/video.html, one self-contained MCP App document', async () => {
    const tools = (await alice.client.listTools()).tools;
    for (const name of ['create_video', 'get_video']) {
      expect(tools.find((tool) => tool.name === name)?._meta?.ui, name).toEqual({ resourceUri: VIEWER_URI });
    }
    const listed = (await alice.client.listResources()).resources.find((resource) => resource.uri === VIEWER_URI);
    expect(listed?.mimeType).toBe('text/html;profile=mcp-app');
    const content = (await alice.client.readResource({ uri: VIEWER_URI })).contents[0];
    expect(content?.mimeType).toBe('text/html;profile=mcp-app');
    const html = content && 'text' in content ? content.text : '';
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('id="player"');
    expect(html).toContain('ui/initialize'); // the ext-apps App client is inlined
    expect(html).not.toMatch(/<script[^>]*\bsrc=/i);
    expect(html).not.toContain('REELSMITH_VIEWER_SCRIPT');
    // Over stdio media come as blobs: the viewer needs no origin.
    expect(content?._meta?.ui).toEqual({ csp: { resourceDomains: [] }, prefersBorder: true });
  });

  it('keeps the viewer on create_video as an MCP task tool: its plain answer and its task result carry the media', async () => {
    const tools = (await alice.client.listTools()).tools;
    const createVideo = tools.find((tool) => tool.name === 'create_video');
    expect(createVideo?.execution).toEqual({ taskSupport: 'optional' });
    // What ext-apps' registerAppTool gives an app tool: the legacy key too, for older hosts.
    expect(createVideo?._meta).toMatchObject({ ui: { resourceUri: VIEWER_URI }, 'ui/resourceUri': VIEWER_URI });
    expect(tools.find((tool) => tool.name === 'get_video')?._meta).toMatchObject({ 'ui/resourceUri': VIEWER_URI });

    const plain = (await alice.client.callTool({
      name: 'create_video',
      arguments: { prompt: 'a tin robot waving', duration_seconds: 5 },
    })) as CallToolResult;
    const started = plain.structuredContent as ToolOutput;
    expect(plain._meta?.[VIEWER_META_KEY]).toMatchObject({ final_video: null, scenes: {} });

    const { task } = await callAsTask(alice.client, 'create_video', {
      prompt: 'a tin robot bowing',
      duration_seconds: 5,
    });
    expect((await followTask([alice.client], task.taskId)).at(-1)?.status).toBe('completed');
    const result = await taskResult(alice.client, task.taskId);
    const meta = result._meta?.[VIEWER_META_KEY] as ViewerMeta;
    const made = result.structuredContent as ToolOutput;
    expect(meta.final_video).toEqual({
      name: 'take-1.mp4',
      uri: `reelsmith://videos/${made.video_id}/files/take-1.mp4`,
      mime_type: 'video/mp4',
    });
    await stack.service.settled(started.video_id);
  });

  it('refuses a ui:// resource that does not exist', async () => {
    await expect(alice.client.readResource({ uri: 'ui://reelsmith/nope.html' })).rejects.toThrow(
      /Resource ui:\/\/reelsmith\/nope\.html not found/,
    );
  });

  it('over stdio hands the viewer each file as an owner-checked resources/read blob, never a file:// URL', async () => {
    const { meta } = await viewerOf(alice.client, video.video_id);
    expect(JSON.stringify(meta)).not.toContain('file:');
    expect(meta.final_video).toEqual({
      name: 'take-1.mp4',
      uri: `reelsmith://videos/${video.video_id}/files/take-1.mp4`,
      mime_type: 'video/mp4',
    });
    expect(meta.take?.name).toBe('take-1-unscored.mp4');
    expect(meta.scenes['1']?.clip?.uri).toBe(`reelsmith://videos/${video.video_id}/files/scene-1-v1.mp4`);
    expect(meta.scenes['1']?.storyboard?.mime_type).toMatch(/^image\//);

    const read = (await alice.client.readResource({ uri: meta.final_video?.uri ?? '' })).contents[0];
    expect(read?.mimeType).toBe('video/mp4');
    expect(Buffer.from(read && 'blob' in read ? read.blob : '', 'base64').equals(finalBytes)).toBe(true);

    await expect(bob.client.readResource({ uri: meta.final_video?.uri ?? '' })).rejects.toThrow(
      new RegExp(`No video ${video.video_id} found for you`),
    );
    await expect(
      alice.client.readResource({ uri: `reelsmith://videos/${video.video_id}/files/scene-1-v9.mp4` }),
    ).rejects.toThrow(/has no current file scene-1-v9\.mp4/);
  });

  describe('over Streamable HTTP', () => {
    let http: HttpApp;
    let origin: string;
    let client: Client;

    beforeAll(async () => {
      http = createHttpApp({
        service: stack.service,
        log: createLogger({ level: 'silent' }),
        auth: { tokens: new Map(), anonymousUserId: 'alice' },
        allowedHosts: ['127.0.0.1', 'localhost'],
        pollIntervalMs: 200,
      });
      origin = await listen(http.server);
      client = await connectHttp(`${origin}/mcp`, undefined);
    });

    afterAll(async () => {
      await client?.close();
      await http?.close();
    });

    it('declares its own origin and serves signed /media links with byte ranges; a changed link is refused', async () => {
      const content = (await client.readResource({ uri: VIEWER_URI })).contents[0];
      expect(content?._meta?.ui).toMatchObject({ csp: { resourceDomains: [origin] } });
      const { meta } = await viewerOf(client, video.video_id);
      const link = meta.final_video?.uri ?? '';
      expect(link.startsWith(`${origin}/media/${video.video_id}/take-1.mp4?`)).toBe(true);

      const whole = await fetch(link);
      expect(whole.status).toBe(200);
      expect(whole.headers.get('content-type')).toBe('video/mp4');
      expect(whole.headers.get('accept-ranges')).toBe('bytes');
      expect(Buffer.from(await whole.arrayBuffer()).equals(finalBytes)).toBe(true);

      const part = await fetch(link, { headers: { range: 'bytes=100-299' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 100-299/${finalBytes.length}`);
      expect(Buffer.from(await part.arrayBuffer()).equals(finalBytes.subarray(100, 300))).toBe(true);

      const forged = new URL(link);
      forged.searchParams.set('u', 'bob');
      const otherFile = link.replace('/take-1.mp4?', '/take-1-unscored.mp4?');
      const unsigned = `${origin}/media/${video.video_id}/take-1.mp4`;
      for (const bad of [forged.href, otherFile, unsigned]) {
        const refused = await fetch(bad);
        expect(refused.status, bad).toBe(403);
        expect(await refused.text()).toMatch(/not valid or has expired/);
      }
    });

    it('a link to a file that a regenerate replaced answers 404, and the new version has its own link', async () => {
      const before = await viewerOf(client, video.video_id);
      const oldClip = before.meta.scenes['1']?.clip?.uri ?? '';
      await new ToolCaller(client).ok('regenerate_scene', { video_id: video.video_id, scene: 1, wait_seconds: 50 });
      await stack.service.settled(video.video_id);
      const stale = await fetch(oldClip);
      expect(stale.status).toBe(404);
      expect(await stale.text()).toMatch(/is no longer a current file/);
      const after = await viewerOf(client, video.video_id);
      expect(after.meta.scenes['1']?.clip?.name).toBe(`scene-1-v${after.output.scenes[0].current_version}.mp4`);
      expect((await fetch(after.meta.scenes['1']?.clip?.uri ?? '')).status).toBe(200);
    });
  });

  it('a correctly signed link still checks the owner, and expires', async () => {
    let now = 1_000_000;
    const signer = createMediaSigner({ secret: randomBytes(32), ttlS: 600, now: () => now });
    const server = createServer((req, res) => void serveMedia(req, res, { service: stack.service, signer }));
    const base = await listen(server);
    try {
      const view = await stack.service.get({ platform: 'mcp', platformUserId: 'alice' }, video.video_id);
      const take = mediaFilesOf(view).find((file) => file.role === 'take');
      if (!take) throw new Error('no take');
      const asAlice = signer.forUser('alice', base).urlOf(video.video_id, take);
      const asBob = signer.forUser('bob', base).urlOf(video.video_id, take);
      expect((await fetch(asAlice, { method: 'HEAD' })).status).toBe(200);
      const bobs = await fetch(asBob);
      expect(bobs.status).toBe(404);
      expect(await bobs.text()).toMatch(new RegExp(`No video ${video.video_id} found for you`));
      now += 2 * 600;
      expect((await fetch(asAlice)).status).toBe(403);
    } finally {
      server.close();
    }
  });

  it('declares the origin of every presigned S3 URL the deployment hands out', async () => {
    const configs = [
      { bucket: 'reels', region: 'eu-west-1', endpoint: undefined, forcePathStyle: false },
      { bucket: 'reels.example.com', region: 'us-east-1', endpoint: undefined, forcePathStyle: false },
      { bucket: 'reels', region: 'us-east-1', endpoint: 'http://minio:9000', forcePathStyle: true },
      { bucket: 'reels', region: 'auto', endpoint: 'https://storage.example.net', forcePathStyle: false },
    ];
    for (const config of configs) {
      const store = createS3BlobStore({
        ...config,
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
        presignTtlS: 60,
      });
      const url = await store.url('u1/videos/v1/final.mp4');
      await store.close();
      const origins = storageOrigins({
        ...config,
        accessKeyId: undefined,
        secretAccessKey: undefined,
        presignTtlS: 60,
      });
      expect(origins, `${config.bucket} ${config.endpoint}: ${url}`).toContain(new URL(url).origin);
    }
  });
});
