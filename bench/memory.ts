import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { openReelsmith } from '../core/src/app.js';
import { loadConfig } from '../core/src/config.js';
import { createLogger } from '../core/src/log.js';
import { TEST_REDIS_URL, testPrefix } from '../core/test/helpers/pipeline.js';
import { createTestDatabase } from '../core/test/helpers/postgres.js';
import { freePort } from '../worker/test/helpers/spawn-worker.js';

/**
 * Peak memory (the process's own high-water mark, VmHWM) of the CLI on the embedded database, of
 * the CLI on Postgres, and of a worker rendering a 60 s video, beside a bare Node process measured
 * the same way. Goal: ≤ 300 MB for each. The processes are started exactly as the npm scripts start
 * them (same Node flags).
 */
const ROOT = join(import.meta.dirname, '..');
const CLI = ['--max-semi-space-size=1', '--import', 'tsx', 'core/src/cli/main.ts'];
const WORKER = ['--max-semi-space-size=4', '--import', 'tsx', 'worker/src/main.ts'];

interface Run {
  peakMb: number;
  code: number | null;
  output: string;
}

/** Runs node with `args`, sampling its VmHWM until it exits (or until `until` resolves, then SIGTERM). */
function peakOf(args: string[], env: Record<string, string>, until?: (output: () => string) => Promise<void>) {
  return new Promise<Run>((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    let peakKb = 0;
    const sample = setInterval(async () => {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      peakKb = Math.max(peakKb, kb);
    }, 20);
    if (until) void until(() => output).then(() => child.kill('SIGTERM'));
    child.once('exit', (code) => {
      clearInterval(sample);
      resolve({ peakMb: Math.round(peakKb / 1024), code, output });
    });
  });
}

export async function benchMemory(): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'reelsmith-bench-memory-'));
  const database = await createTestDatabase();
  const lines = ['memory (peak RSS of the process, goal ≤ 300 MB)'];
  try {
    const bare = await peakOf(['-e', 'setTimeout(() => {}, 300)'], {});
    lines.push(`  bare node process                          ${String(bare.peakMb).padStart(4)} MB`);
    const embedded = { DATA_DIR: join(dir, 'embedded') };
    const first = await peakOf([...CLI, 'models', '--json'], embedded);
    lines.push(
      `  reelsmith models --json                    ${String(first.peakMb).padStart(4)} MB (opens no database)`,
    );
    const init = await peakOf([...CLI, 'generate', 'a red kite over dunes', '--duration', '5', '--json'], embedded);
    lines.push(
      `  reelsmith generate (PGlite, first run)     ${String(init.peakMb).padStart(4)} MB (initdb runs in a child process, once per DATA_DIR)`,
    );
    const again = await peakOf([...CLI, 'generate', 'a blue kite over snow', '--duration', '15', '--json'], embedded);
    lines.push(`  reelsmith generate 15 s (PGlite)           ${String(again.peakMb).padStart(4)} MB`);
    const postgres = { DATA_DIR: join(dir, 'pg'), DATABASE_URL: database.url };
    const onPg = await peakOf([...CLI, 'generate', 'a kite festival', '--duration', '15', '--json'], postgres);
    lines.push(`  reelsmith generate 15 s (Postgres)         ${String(onPg.peakMb).padStart(4)} MB`);

    const prefix = testPrefix();
    const env = {
      DATA_DIR: join(dir, 'cluster'),
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      HEALTH_PORT: String(await freePort()),
    };
    const front = await openReelsmith(loadConfig(env), { log: createLogger({ level: 'silent' }) });
    try {
      const worker = await peakOf(WORKER, { ...env, LOG_FORMAT: 'json' }, async (output) => {
        while (!output().includes('worker ready')) await sleep(50);
        const owner = { platform: 'cli' as const, platformUserId: 'bench-memory' };
        const created = await front.service.create(owner, { prompt: 'a 60 second tour of a bakery', durationS: 60 });
        await front.service.settled(created.videoId);
      });
      lines.push(`  worker rendering a 60 s video (hailuo)     ${String(worker.peakMb).padStart(4)} MB`);
    } finally {
      await front.close();
      const redis = new Redis(TEST_REDIS_URL);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  } finally {
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  }
  return lines;
}
