import { createServer, type Server } from 'node:http';
import type { Logger } from '@reelsmith/core';

/** Resolves on the first SIGTERM or SIGINT: the process then closes what it opened and exits 0. */
export function untilStopped(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
}

/** `GET /healthz` on `port` (HEALTH_PORT), 200 while `healthy()` says so, else 503. */
export function startHealthServer(port: number, healthy: () => boolean, log: Logger): Server {
  const health = createServer((req, res) => {
    const ok = req.url === '/healthz' && healthy();
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ok }));
  });
  health.on('error', (error) => log.warn({ err: error }, 'health endpoint not started'));
  health.listen(port);
  return health;
}

/** Runs a process's `main`, its resolved number the exit code; a crash prints its stack under `name`. */
export function runMain(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${name}: ${(error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
