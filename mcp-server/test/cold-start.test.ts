import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { createLogger, loadConfig, openReelsmith, type Reelsmith } from '@reelsmith/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../core/test/helpers/postgres.js';
import { mcpOwner } from '../src/identity.js';
import { createLazyServer } from '../src/startup/lazy-server.js';
import { VIEWER_URI } from '../src/viewer/viewer-resource.js';
import { callAsTask, followTask, taskResult } from './helpers/task-flow.js';
import { ToolCaller, textOf } from './helpers/tools.js';

/** A database URL nothing listens on: opening it fails fast with `database_unreachable`. */
const UNREACHABLE = 'postgres://postgres@127.0.0.1:1/nowhere';

describe('the stdio server opens its database in the background', () => {
  let database: TestDatabase;
  let dataDir: string;
  const opened: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
    dataDir = await mkdtemp(join(tmpdir(), 'reelsmith-mcp-cold-'));
  });

  afterEach(async () => {
    for (const server of opened.splice(0)) await server.close();
  });

  afterAll(async () => {
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** The video behind an MCP task, from the tasks table. */
  const videoOfTask = async (taskId: string) =>
    String(
      (await database.db.selectFrom('mcp_tasks').select('video_id').where('id', '=', taskId).executeTakeFirstOrThrow())
        .video_id,
    );
  const configFor = (databaseUrl: string) => loadConfig({ DATABASE_URL: databaseUrl, DATA_DIR: dataDir });
  const log = createLogger({ level: 'silent' });

  /** The lazy server over an in-memory pair, opening the app with `open`. */
  async function connect(open: () => Promise<Reelsmith>): Promise<ToolCaller> {
    return new ToolCaller(await connectClient(open));
  }

  async function connectClient(open: () => Promise<Reelsmith>): Promise<Client> {
    const config = configFor(database.url);
    const server = createLazyServer({ config, log, owner: mcpOwner('cold-tester'), open, pollIntervalMs: 200 });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.server.connect(serverSide);
    const client = new Client({ name: 'cold-start-test', version: '0.0.0' });
    await client.connect(clientSide);
    opened.push({
      close: async () => {
        await client.close();
        await server.close();
      },
    });
    return client;
  }

  it('answers initialize, tools/list and the catalog tools before the database is open; other tools wait for it', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let released = false;
    let opens = 0;
    const tools = await connect(async () => {
      opens += 1;
      await held;
      return openReelsmith(configFor(database.url), { log });
    });

    expect((await tools.listTools()).length).toBeGreaterThan(10);
    expect((await tools.ok('list_models', {})).models.length).toBeGreaterThan(0);
    expect((await tools.ok('estimate_cost', { prompt: 'a red kite', duration_seconds: 5 })).charged_usd).toBe(0);
    expect(opens).toBeLessThanOrEqual(1);
    const tables = await database.db.introspection.getTables();
    expect(tables.map((table) => table.name)).not.toContain('videos');

    const creating = tools.call('create_video', { prompt: 'a red kite over dunes', duration_seconds: 5 });
    let answeredBeforeOpen = false;
    void creating.then(() => {
      answeredBeforeOpen = !released;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    released = true;
    release();
    const created = await creating;
    expect(answeredBeforeOpen).toBe(false);
    expect(created.isError, textOf(created)).toBeFalsy();
    const videoId = (created.structuredContent as { video_id: string }).video_id;
    const ready = await tools.ok('get_video', { video_id: videoId, wait_seconds: 50 });
    expect(ready.status).toBe('ready');
    expect(opens).toBe(1);
  });

  it('declares the viewer, subscriptions and tasks before the database is open, and serves them once it is', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const client = await connectClient(async () => {
      await held;
      return openReelsmith(configFor(database.url), { log });
    });
    expect(client.getServerCapabilities()).toMatchObject({
      resources: { listChanged: true, subscribe: true },
      tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } },
    });
    const viewer = (await client.readResource({ uri: VIEWER_URI })).contents[0];
    expect(viewer?.mimeType).toBe('text/html;profile=mcp-app');
    const createVideo = (await client.listTools()).tools.find((tool) => tool.name === 'create_video');
    expect(createVideo).toMatchObject({
      execution: { taskSupport: 'optional' },
      _meta: { ui: { resourceUri: VIEWER_URI } },
    });

    release();
    const { task } = await callAsTask(client, 'create_video', { prompt: 'a red kite at noon', duration_seconds: 5 });
    const video = await new ToolCaller(client).ok('get_video', { video_id: await videoOfTask(task.taskId) });
    const updates: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (note) => void updates.push(note.params.uri));
    await client.subscribeResource({ uri: video.resource_uri });
    expect((await followTask([client], task.taskId)).at(-1)?.status).toBe('completed');
    await expect.poll(() => updates).toContain(video.resource_uri);
    expect((await taskResult(client, task.taskId)).structuredContent).toMatchObject({ status: 'ready' });
  });

  it('reports a database that cannot be opened on the next tool call, and tries again on the call after', async () => {
    let opens = 0;
    const tools = await connect(() => {
      opens += 1;
      const url = opens === 1 ? UNREACHABLE : database.url;
      return openReelsmith(configFor(url), { log });
    });
    expect((await tools.listTools()).length).toBeGreaterThan(10);

    const failed = await tools.call('get_video', { video_id: randomUUID() });
    expect(failed.isError).toBe(true);
    expect(failed._meta?.['reelsmith/error_code']).toBe('database_unreachable');
    expect(textOf(failed)).toMatch(/^Cannot reach the database at postgres:\/\/postgres@127\.0\.0\.1:1\/nowhere/);

    const id = randomUUID();
    await tools.refused('get_video', { video_id: id }, new RegExp(`No video ${id} found for you`));
    expect(opens).toBe(2);
  });

  it('answers a failure that is not the caller’s to fix as startup_failed, without internals', async () => {
    const tools = await connect(async () => {
      throw new TypeError('cannot read properties of undefined (reading "migrations")');
    });
    const failed = await tools.call('cancel_video', { video_id: randomUUID() });
    expect(failed._meta?.['reelsmith/error_code']).toBe('startup_failed');
    expect(textOf(failed)).toMatch(/^Reelsmith could not open its database and storage; the server's log/);
    expect(textOf(failed)).not.toMatch(/migrations/);
  });
});
