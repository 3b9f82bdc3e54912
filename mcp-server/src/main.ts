/**
 * The MCP server process: `reelsmith-mcp` (stdio, the default) or `reelsmith-mcp http` (Streamable
 * HTTP). The only module that reads the environment, opens the app and handles signals. On stdio the
 * app (database) opens in the background, so `initialize` and `tools/list` answer within a second of
 * a cold start; over HTTP it opens before the server listens. With
 * REDIS_URL videos run on the workers (QueueRunner), so they survive this process; without it they
 * run in this process (InlineRunner).
 */
import { createServer as createPlainHttpServer, type Server } from 'node:http';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { type Config, ConfigError, createLogger, type Logger, loadConfig } from '@reelsmith/core';
import { exposureProblem, httpAuthFrom } from './http/auth.js';
import { MCP_PATH } from './http/http-app.js';
import { openHttpServer } from './http/open-http.js';
import { localUserId, mcpOwner } from './identity.js';
import { createLazyServer } from './startup/lazy-server.js';

const USAGE = `Usage: reelsmith-mcp [stdio|http]
  stdio (default)  MCP over stdin/stdout; videos belong to MCP_USER_ID (default: the OS user)
  http             MCP over Streamable HTTP at http://MCP_HTTP_HOST:MCP_HTTP_PORT${MCP_PATH}
`;

async function main(argv: readonly string[]): Promise<number> {
  const mode = argv[0] ?? 'stdio';
  if (mode === '--help' || mode === '-h' || mode === 'help') {
    process.stderr.write(USAGE);
    return 0;
  }
  if (mode !== 'stdio' && mode !== 'http') {
    process.stderr.write(`reelsmith-mcp: unknown mode "${mode}".\n${USAGE}`);
    return 2;
  }
  // stdout carries the protocol on stdio: anything a library prints goes to stderr instead.
  if (mode === 'stdio') routeConsoleToStderr();
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`reelsmith-mcp: ${error.message}\n`);
    return 2;
  }
  const log = createLogger({
    level: config.logLevel,
    destination: 'stderr',
    name: 'reelsmith-mcp',
    secrets: [
      config.replicate.apiToken,
      config.llm.apiKey,
      config.s3?.secretAccessKey,
      config.mcp.httpToken,
      ...Object.keys(config.mcp.httpTokens),
      config.mcp.mediaSecret,
    ],
  });
  return mode === 'stdio' ? runStdio(config, log) : runHttp(config, log);
}

/** How long a stopping stdio server waits for a database still opening before it exits without it. */
const SHUTDOWN_GRACE_MS = 1500;

async function runStdio(config: Config, log: Logger): Promise<number> {
  const userId = localUserId(config.mcp.userId);
  // Hosts start this process on demand and list its tools at once: the database opens in the background.
  const mcp = createLazyServer({ config, log, owner: mcpOwner(userId) });
  const stopped = new Promise<void>((resolve) => {
    const stop = (why: string) => {
      log.info({ why }, 'MCP stdio server stopping');
      resolve();
    };
    process.stdin.once('end', () => stop('stdin closed'));
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') stop('stdout closed');
      else log.error({ err: error }, 'stdout failed');
    });
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await mcp.server.connect(new StdioServerTransport());
  log.info({ user: userId }, 'MCP stdio server ready');
  await stopped;
  if (!(await mcp.close(SHUTDOWN_GRACE_MS))) {
    // Hosts kill a server that lingers after closing stdin (the SDK's client: SIGTERM after 2 s).
    log.info('MCP stdio server exiting before its database finished opening');
    process.exit(0);
  }
  return 0;
}

async function runHttp(config: Config, log: Logger): Promise<number> {
  const { httpHost: host, httpPort: port } = config.mcp;
  const problem = exposureProblem(host, httpAuthFrom(config.mcp, localUserId(config.mcp.userId)));
  if (problem) {
    process.stderr.write(`reelsmith-mcp: refusing to start: ${problem}\n`);
    return 2;
  }
  const { app, http, auth, close } = await openHttpServer(config, log);
  const health = createPlainHttpServer((req, res) => {
    const ok = req.url === '/healthz';
    res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' }).end(ok ? '{"ok":true}' : '{}');
  });
  await listen(http.server, host, port);
  await listen(health, host, config.worker.healthPort).catch((error: unknown) =>
    log.warn({ err: error, port: config.worker.healthPort }, 'health endpoint not started'),
  );
  const where = `http://${host.includes(':') ? `[${host}]` : host}:${port}${MCP_PATH}`;
  log.info(
    { url: where, mode: http.mode, runner: app.runner, auth: auth.tokens.size > 0 ? 'bearer' : 'none (loopback only)' },
    'MCP HTTP server ready',
  );
  process.stderr.write(`reelsmith-mcp: listening on ${where}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  health.close();
  await close();
  return 0;
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function routeConsoleToStderr(): void {
  const toStderr = (...args: unknown[]) => console.error(...args);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`reelsmith-mcp: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
