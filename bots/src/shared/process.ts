import { createServer, type Server } from 'node:http';
import {
  type Config,
  ConfigError,
  createLogger,
  type Logger,
  loadConfig,
  openReelsmith,
  UserError,
} from '@reelsmith/core';

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

/** What a chat front's process has once it is allowed to run. */
export interface OpenedFront {
  config: Config;
  log: Logger;
  app: Awaited<ReturnType<typeof openReelsmith>>;
}

/**
 * The start every chat front shares: parses the environment (exit 2 on a bad value), refuses in one
 * line when `missing(config)` names settings to set (exit 2), then opens the app with a logger that
 * redacts the deployment's secrets and the front's own (exit 1 when the database cannot be reached).
 * Resolves with what it opened, or the exit code.
 */
export async function openFront(
  name: string,
  env: Readonly<Record<string, string | undefined>>,
  options: { missing(config: Config): Array<string | false>; secrets(config: Config): Array<string | undefined> },
): Promise<OpenedFront | number> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${name}: ${error.message}\n`);
    return 2;
  }
  const missing = options.missing(config).filter(Boolean);
  if (missing.length > 0) {
    process.stderr.write(`${name}: set ${missing.join('; ')}.\n`);
    return 2;
  }
  const log = createLogger({
    level: config.logLevel,
    name,
    pretty: config.logFormat === 'pretty',
    secrets: [...options.secrets(config), config.replicate.apiToken, config.llm.apiKey, config.s3?.secretAccessKey],
  });
  try {
    return { config, log, app: await openReelsmith(config, { log }) };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    process.stderr.write(`${name}: ${error.message}\n`);
    return 1;
  }
}
