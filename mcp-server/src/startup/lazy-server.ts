import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  type Config,
  type Logger,
  type Owner,
  openCatalog,
  openReelsmith,
  type Reelsmith,
  UserError,
} from '@reelsmith/core';
import { createServer } from '../server.js';
import { deferOpen } from './deferred-open.js';
import { deferVideoService } from './deferred-service.js';

export interface LazyServerOptions {
  config: Config;
  log: Logger;
  /** Who every call acts for (see ServerDeps). */
  owner: Owner;
  /** Opens the app; default `openReelsmith(config, { log })`. Tests hold it to check what answers first. */
  open?: () => Promise<Reelsmith>;
  pollIntervalMs?: number;
}

/**
 * How long after the client's `notifications/initialized` the app starts opening: the host's
 * `tools/list` comes first, and a client that lists or calls a catalog tool and leaves (the
 * Inspector CLI) is gone before it starts, so it exits at once.
 */
const AFTER_HANDSHAKE_MS = 1000;

export interface LazyServer {
  server: McpServer;
  /**
   * Closes the MCP server, then the app — waiting at most `graceMs` (default: as long as it takes)
   * for an open still in flight. Resolves false when it gave up waiting: the caller may then exit
   * the process (an embedded database being created finishes in its own child process).
   */
  close(graceMs?: number): Promise<boolean>;
}

/**
 * The MCP server for one identity that answers before its app (database opened and migrated,
 * storage, providers, runner) is open. `initialize` and `tools/list` answer at once, and so do the
 * catalog tools (plan_video, estimate_cost, list_models, list_flavors), which need no database.
 * The app starts opening in the background shortly after the handshake (or at the first call that
 * needs it, if that comes first); every other call waits for it. When the open fails, the next call
 * comes back `isError` with why (`database_unreachable`, …, or `startup_failed`) and the call after
 * it tries again.
 */
export function createLazyServer(options: LazyServerOptions): LazyServer {
  const { config, log } = options;
  const open = options.open ?? (() => openReelsmith(config, { log }));
  const opening = deferOpen(
    async () => {
      const started = performance.now();
      try {
        const app = await open();
        const ms = Math.round(performance.now() - started);
        log.info({ provider: app.provider, database: app.database.kind, runner: app.runner, ms }, 'database open');
        return app;
      } catch (error) {
        log.error({ err: error }, 'opening the database failed; the next tool call tries again');
        throw asStartupError(error);
      }
    },
    (app) => app.close(),
  );
  const service = deferVideoService(openCatalog(config, { log }), async () => (await opening.get()).service);
  const mcp = createServer({
    service,
    log,
    owner: options.owner,
    ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
  });
  mcp.server.server.oninitialized = () => {
    setTimeout(() => opening.start(), AFTER_HANDSHAKE_MS).unref();
  };
  return {
    server: mcp.server,
    async close(graceMs) {
      await mcp.close();
      return opening.close(graceMs);
    },
  };
}

/** A UserError (unreachable database, Redis, …) as it is; anything else as a generic `startup_failed` (details in the log). */
function asStartupError(error: unknown): UserError {
  if (error instanceof UserError) return error;
  return new UserError(
    'startup_failed',
    "Reelsmith could not open its database and storage; the server's log (stderr) says why. The next call tries again.",
    { cause: error },
  );
}
