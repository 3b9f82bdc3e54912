import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (where `npm run worker` runs). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/** A free loopback TCP port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface SpawnedWorker {
  /** pid of the npm process (the process group leader). */
  readonly groupPid: number;
  /** pid of the node process running the worker (from its "worker ready" line). */
  readonly pid: number;
  readonly healthPort: number;
  /** Everything it printed so far. */
  output(): string;
  readonly exited: Promise<number | null>;
  /** SIGTERM (graceful) and wait for the exit. */
  stop(): Promise<number | null>;
  /** SIGKILL the whole process group at once (no shutdown code runs). */
  kill9(): Promise<void>;
}

/**
 * Starts `npm run worker` in its own process group with `env` on top of this process's
 * environment, and resolves once it logged "worker ready" (or rejects with its output when it
 * exits first or takes longer than `timeoutMs`).
 */
export async function spawnWorker(env: Record<string, string>, timeoutMs = 60_000): Promise<SpawnedWorker> {
  const healthPort = Number(env.HEALTH_PORT ?? (await freePort()));
  const child: ChildProcess = spawn('npm', ['run', '--silent', 'worker'], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', LOG_FORMAT: 'json', ...env, HEALTH_PORT: String(healthPort) },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const pid = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker not ready in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const check = setInterval(() => {
      const ready = output.split('\n').find((line) => line.includes('"worker ready"'));
      if (ready) {
        clearInterval(check);
        clearTimeout(timer);
        resolve(Number((JSON.parse(ready) as { pid: number }).pid));
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before it was ready:\n${output}`));
    });
  });
  const groupPid = child.pid as number;
  return {
    groupPid,
    pid,
    healthPort,
    output: () => output,
    exited,
    async stop() {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {}
      return exited;
    },
    async kill9() {
      try {
        process.kill(-groupPid, 'SIGKILL');
      } catch {}
      await exited;
    },
  };
}

/** Runs `npm run worker` expecting it to refuse to start; resolves with its exit code and output. */
export function runWorkerToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'worker'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('exit', (code) => resolve({ code, output }));
  });
}
