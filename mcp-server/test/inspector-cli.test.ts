import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, type ChildEnvironment, childEnvironment } from './helpers/spawn-env.js';
import { TASK_TOOL_NAMES, TOOL_NAMES } from './helpers/tools.js';

const run = promisify(execFile);
const INSPECTOR_CLI = fileURLToPath(
  new URL('../../node_modules/@modelcontextprotocol/inspector/cli/build/cli.js', import.meta.url),
);

/**
 * The MCP Inspector's CLI (`--cli`, no browser) as a person runs it against the stdio bin: every
 * call starts its own server process, so these also prove a cold server answers a tool at once.
 */
describe('the MCP Inspector CLI drives the stdio server', () => {
  let child: ChildEnvironment;

  beforeAll(async () => {
    child = await childEnvironment({ MCP_USER_ID: 'inspector-user', LOG_LEVEL: 'warn' });
  });

  afterAll(async () => {
    await child?.cleanup();
  });

  async function inspector(...args: string[]): Promise<Record<string, unknown>> {
    const { stdout } = await run(process.execPath, [INSPECTOR_CLI, '--cli', process.execPath, BIN, ...args], {
      env: child.env,
      timeout: 90_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(stdout) as Record<string, unknown>;
  }

  function callTool(name: string, toolArgs: Record<string, string | number>) {
    const pairs = Object.entries(toolArgs).map(([key, value]) => `${key}=${value}`);
    return inspector('--method', 'tools/call', '--tool-name', name, ...(pairs.length ? ['--tool-arg', ...pairs] : []));
  }

  it('lists every tool with its strict schema, the task tools marked optional', async () => {
    const { tools } = (await inspector('--method', 'tools/list')) as {
      tools: { name: string; inputSchema: { additionalProperties?: boolean }; execution?: { taskSupport?: string } }[];
    };
    expect(tools.map((tool) => tool.name).sort()).toEqual([...TOOL_NAMES].sort());
    const taskTools = tools.filter((tool) => tool.execution?.taskSupport === 'optional').map((tool) => tool.name);
    expect(taskTools.sort()).toEqual([...TASK_TOOL_NAMES].sort());
    expect(tools.every((tool) => tool.inputSchema.additionalProperties === false)).toBe(true);
  });

  it('makes a video, then regenerates a scene of it, each call in a new server process', async () => {
    const created = (await callTool('create_video', {
      prompt: 'a paper boat on a rainy street',
      duration_seconds: 5,
      wait_seconds: 50,
    })) as { isError?: boolean; structuredContent: { video_id: string; status: string; preview: boolean } };
    expect(created.isError).toBeFalsy();
    expect(created.structuredContent).toMatchObject({ status: 'ready', preview: true });
    const videoId = created.structuredContent.video_id;

    const regenerated = (await callTool('regenerate_scene', {
      video_id: videoId,
      scene: 1,
      prompt: 'the boat in a golden puddle',
      wait_seconds: 50,
    })) as { structuredContent: { status: string; scenes: { current_version: number; prompt: string }[] } };
    expect(regenerated.structuredContent.status).toBe('ready');
    expect(regenerated.structuredContent.scenes[0]).toMatchObject({
      current_version: 2,
      prompt: 'the boat in a golden puddle',
    });

    const viewer = (await inspector('--method', 'resources/read', '--uri', 'ui://reelsmith/video.html')) as {
      contents: { mimeType: string }[];
    };
    expect(viewer.contents[0]?.mimeType).toBe('text/html;profile=mcp-app');
  });

  it('gets an argument error that starts with the fix, and nothing is made', async () => {
    const refused = (await callTool('regenerate_scene', { video_id: 'nope', scene: 0 })) as {
      isError: boolean;
      content: { text: string }[];
      _meta: Record<string, unknown>;
    };
    expect(refused.isError).toBe(true);
    expect(refused.content[0]?.text).toMatch(/^scene: /);
    expect(refused._meta['reelsmith/error_code']).toBe('invalid_arguments');
    const listed = (await callTool('list_assets', {})) as { structuredContent: { assets: unknown[] } };
    expect(listed.structuredContent.assets).toEqual([]);
  });
});
