import { type Config, type Logger, openReelsmith, type Reelsmith } from '@reelsmith/core';
import { localUserId } from '../identity.js';
import { type HttpAuth, httpAuthFrom, isLoopbackHost } from './auth.js';
import { createHttpApp, type HttpApp } from './http-app.js';
import { storageOrigins } from './storage-origins.js';

export interface OpenedHttpServer {
  app: Reelsmith;
  http: HttpApp;
  auth: HttpAuth;
  /** Closes the HTTP server, then the app. */
  close(): Promise<void>;
}

/**
 * One MCP HTTP replica from a parsed config: the app (QueueRunner with REDIS_URL) and the HTTP app
 * in MCP_HTTP_MODE, not yet listening. What `reelsmith-mcp http` runs; tests start several.
 */
export async function openHttpServer(
  config: Config,
  log: Logger,
  options: { pollIntervalMs?: number; taskPollIntervalMs?: number } = {},
): Promise<OpenedHttpServer> {
  const auth = httpAuthFrom(config.mcp, localUserId(config.mcp.userId));
  const app = await openReelsmith(config, { log });
  const mode = config.mcp.httpMode;
  if (mode === 'stateless' && app.runner === 'inline') {
    log.warn(
      'MCP_HTTP_MODE=stateless without REDIS_URL: videos run inside this process, so run one replica only (set REDIS_URL and run workers for more)',
    );
  }
  if (mode === 'stateless' && app.runner === 'queue' && !config.mcp.mediaSecret) {
    log.warn(
      "MCP_HTTP_MODE=stateless without MCP_MEDIA_SECRET: the viewer's media links are signed with a key of this process, so another replica refuses them (403); set the same MCP_MEDIA_SECRET on every replica",
    );
  }
  const http = createHttpApp({
    service: app.service,
    log,
    auth,
    mode,
    allowedOrigins: config.mcp.allowedOrigins,
    allowedHosts: isLoopbackHost(config.mcp.httpHost) ? ['localhost', '127.0.0.1', '[::1]'] : undefined,
    publicUrl: config.mcp.publicUrl,
    storageOrigins: storageOrigins(config.s3),
    mediaSecret: config.mcp.mediaSecret,
    ...options,
  });
  return {
    app,
    http,
    auth,
    async close() {
      await http.close();
      await app.close();
    },
  };
}
