import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const TRACER = fileURLToPath(new URL('./helpers/trace-startup-packages.mjs', import.meta.url));

/**
 * The stdio server answers `initialize` and `tools/list` before its app opens (issue 12, cold start),
 * which holds only while the modules it loads first stay light: the database, queue, storage, media
 * and provider packages must load with the app (`openReelsmith`'s dynamic import), not before. A
 * static import of any of them into the tools, the server or the core's barrel shows up here.
 */
const LOADED_WITH_THE_APP = [
  'kysely',
  'pg',
  '@electric-sql/pglite',
  'bullmq',
  'ioredis',
  '@aws-sdk/client-s3',
  'fluent-ffmpeg',
  'replicate',
  'ai',
  '@ai-sdk/openai',
];

describe('what the stdio server loads before it answers', () => {
  it('loads the MCP SDK, zod and the catalog, and none of the packages the app opens with', async () => {
    const { stderr } = await run(process.execPath, [TRACER], { timeout: 60_000 });
    const packages = new Set(
      stderr
        .split('\n')
        .filter((line) => line.startsWith('package '))
        .map((line) => line.slice('package '.length).replace(/^((?:@[^/]+\/)?[^/]+).*$/, '$1')),
    );
    expect(packages).toContain('@modelcontextprotocol/sdk');
    expect(packages).toContain('zod');
    expect([...packages].filter((name) => LOADED_WITH_THE_APP.includes(name))).toEqual([]);
  });
});
