import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, type ChildEnvironment, childEnvironment } from './helpers/spawn-env.js';
import { expectStrictlyIncreasing, ToolCaller } from './helpers/tools.js';
import { checkToolList, runVideoFlow } from './helpers/video-flow.js';

describe('MCP server over stdio (the reelsmith-mcp bin in a child process)', () => {
  let child: ChildEnvironment;
  let client: Client;
  let tools: ToolCaller;
  let stderr = '';
  const protocolErrors: Error[] = [];

  beforeAll(async () => {
    child = await childEnvironment({ MCP_USER_ID: 'stdio-tester' });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN],
      env: child.env,
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    client = new Client({ name: 'reelsmith-stdio-test', version: '0.0.0' });
    client.onerror = (error) => protocolErrors.push(error);
    await client.connect(transport);
    tools = new ToolCaller(client);
  });

  afterAll(async () => {
    await client?.close();
    await child?.cleanup();
  });

  it('lists every tool with valid schemas', async () => {
    await checkToolList(tools);
  });

  it('makes a video end to end, keeping stdout for the protocol and logging to stderr', async () => {
    const videoId = await runVideoFlow(tools, { model: 'wan' });
    const owner = await child.database.db
      .selectFrom('videos')
      .innerJoin('users', 'users.id', 'videos.user_id')
      .select(['users.platform', 'users.platform_user_id'])
      .where('videos.id', '=', videoId)
      .executeTakeFirstOrThrow();
    expect(owner).toEqual({ platform: 'mcp', platform_user_id: 'stdio-tester' });
    expect(protocolErrors).toEqual([]);
    expect(stderr).toContain('MCP stdio server ready');
  });

  it('refuses bad input with isError', async () => {
    await tools.refused('create_video', { prompt: 'x', duration_seconds: 7 }, /multiple of 5/);
  });
});

describe('reelsmith-mcp on stdio with nothing configured', () => {
  let dataDir: string;
  let client: Client;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'reelsmith-mcp-bare-'));
    // Only a data folder: embedded PGlite, local storage, the animatic, the in-process runner.
    const env = { PATH: process.env.PATH ?? '', HOME: dataDir, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    client = new Client({ name: 'reelsmith-bare-test', version: '0.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN], env, stderr: 'ignore' }));
  });

  afterAll(async () => {
    await client?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('makes a whole video from one create_video call with wait_seconds', async () => {
    const { output, progress } = await new ToolCaller(client).withProgress('create_video', {
      prompt: 'a paper boat on a rainy street',
      duration_seconds: 5,
      wait_seconds: 50,
    });
    expect(output).toMatchObject({ status: 'ready', provider: 'animatic', preview: true });
    expect(existsSync(fileURLToPath(output.final_video.uri))).toBe(true);
    expectStrictlyIncreasing(progress);
  });
});
