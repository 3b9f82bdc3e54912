import { randomBytes, randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Logger, VideoService } from '@reelsmith/core';
import { mcpOwner } from '../identity.js';
import { createServer } from '../server.js';
import { authenticate, type HttpAuth } from './auth.js';
import { createMediaSigner, MEDIA_PATH } from './media-links.js';
import { serveMedia } from './media-route.js';
import { isAllowedHost, isAllowedOrigin } from './origin.js';
import { BodyTooLargeError, readBody } from './read-body.js';
import { SessionStore } from './sessions.js';
import { serveStateless, statelessMethodNotAllowed } from './stateless.js';

export interface HttpAppDeps {
  service: VideoService;
  log: Logger;
  auth: HttpAuth;
  /** Browser origins allowed to call (MCP_ALLOWED_ORIGINS); default loopback origins only. */
  allowedOrigins?: readonly string[] | undefined;
  /** Host names accepted in the Host header (DNS-rebinding guard on loopback); undefined accepts any. */
  allowedHosts?: readonly string[] | undefined;
  /** Largest JSON-RPC body; default 20 MiB (a 10 MiB image as base64 is ≈ 14 MiB). */
  maxBodyBytes?: number;
  /**
   * `sessions` (default): an initialize opens a session held in this process (one replica, or
   * sticky routing by Mcp-Session-Id). `stateless`: a fresh server per request and no session, so
   * any number of replicas can share the traffic (MCP_HTTP_MODE).
   */
  mode?: HttpMode;
  /** Sessions without a request for this long are closed; default 1 hour. */
  sessionIdleMs?: number;
  pollIntervalMs?: number;
  taskPollIntervalMs?: number;
  /**
   * This server as browsers reach it (MCP_PUBLIC_URL), for the viewer's signed `/media/…` links;
   * default `http://` plus the Host header of the request that opened the session (stateless: of
   * the current request).
   */
  publicUrl?: string | undefined;
  /** Origins of presigned storage URLs (S3) the viewer loads media from; declared in its CSP. */
  storageOrigins?: readonly string[];
  /** Lifetime of a signed media link in seconds; default 1 hour. */
  mediaTtlS?: number;
  /**
   * Key the media links are signed with (MCP_MEDIA_SECRET). Replicas that share it accept each
   * other's links (stateless mode behind a load balancer); default a random key per process.
   */
  mediaSecret?: string | undefined;
}

export type HttpMode = 'sessions' | 'stateless';

export interface HttpApp {
  /** A Node HTTP server, not yet listening: the caller picks host and port. */
  server: Server;
  mode: HttpMode;
  sessionCount(): number;
  /** Closes every session and stops the HTTP server (the service stays open). */
  close(): Promise<void>;
}

export const MCP_PATH = '/mcp';
const CORS_HEADERS = 'content-type, authorization, mcp-session-id, mcp-protocol-version, last-event-id';

/**
 * MCP over Streamable HTTP at `/mcp` (and `GET /healthz`). Every request passes the Origin check
 * (403), the Host check (403) and the bearer token (401) before anything else; each initialize opens
 * a session with its own `createServer` instance for the token's user, and a session id only works
 * for the user who opened it. Stateless, every POST gets its own instance for the token's user.
 * `GET /media/…` serves the viewer's files: there a signed, expiring link stands in for the token
 * (see `serveMedia`).
 */
export function createHttpApp(deps: HttpAppDeps): HttpApp {
  const { log, auth } = deps;
  const mode = deps.mode ?? 'sessions';
  const sessions = new SessionStore();
  const maxBodyBytes = deps.maxBodyBytes ?? 20 * 1024 * 1024;
  const idleMs = deps.sessionIdleMs ?? 60 * 60_000;
  const signer = createMediaSigner({
    secret: deps.mediaSecret ? Buffer.from(deps.mediaSecret, 'utf8') : randomBytes(32),
    ttlS: deps.mediaTtlS ?? 3600,
    ...(deps.storageOrigins ? { storageOrigins: deps.storageOrigins } : {}),
  });
  const sweeper = setInterval(() => void sessions.closeIdle(idleMs), Math.min(idleMs, 60_000));
  sweeper.unref();

  const server = createHttpServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error({ err: error }, 'MCP HTTP request failed');
      if (!res.headersSent) reply(res, 500, -32603, 'Internal server error');
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/healthz' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      return;
    }
    if (path.startsWith(MEDIA_PATH)) {
      if (!isAllowedHost(req.headers.host, deps.allowedHosts)) {
        return void reply(res, 403, -32000, `Forbidden: Host ${req.headers.host ?? '(none)'} is not allowed.`);
      }
      return serveMedia(req, res, { service: deps.service, signer });
    }
    if (path !== MCP_PATH) return void reply(res, 404, -32601, `Not found: the MCP endpoint is ${MCP_PATH}`);
    const origin = req.headers.origin;
    if (!isAllowedOrigin(origin, deps.allowedOrigins)) {
      log.warn({ origin }, 'MCP HTTP request from a foreign Origin refused');
      return void reply(res, 403, -32000, `Forbidden: Origin ${origin} is not allowed (see MCP_ALLOWED_ORIGINS).`);
    }
    if (!isAllowedHost(req.headers.host, deps.allowedHosts)) {
      return void reply(res, 403, -32000, `Forbidden: Host ${req.headers.host ?? '(none)'} is not allowed.`);
    }
    if (origin) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', 'mcp-session-id');
      res.setHeader('vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
        'access-control-allow-headers': CORS_HEADERS,
      });
      return void res.end();
    }
    const who = authenticate(req.headers.authorization, auth);
    if (!who.ok) {
      res.setHeader('www-authenticate', 'Bearer realm="reelsmith"');
      return void reply(res, 401, -32001, `Unauthorized: ${who.reason}`);
    }
    const sessionId = header(req, 'mcp-session-id');
    let body: unknown;
    if (req.method === 'POST') {
      try {
        body = JSON.parse(await readBody(req, maxBodyBytes));
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          return void reply(
            res,
            413,
            -32600,
            `Request too large (over ${maxBodyBytes} bytes): send big files as an https url.`,
          );
        }
        return void reply(res, 400, -32700, 'Parse error: the body is not JSON.');
      }
    } else if (req.method !== 'GET' && req.method !== 'DELETE') {
      res.setHeader('allow', 'GET, POST, DELETE, OPTIONS');
      return void reply(res, 405, -32000, 'Method not allowed.');
    }
    if (mode === 'stateless') {
      if (req.method !== 'POST') return statelessMethodNotAllowed(res);
      return serveStateless(serverFor(who.userId, req), req, res, body);
    }
    if (sessionId) {
      const session = sessions.find(sessionId, who.userId);
      if (!session) return void reply(res, 404, -32001, 'Session not found: initialize a new session.');
      return session.transport.handleRequest(req, res, body);
    }
    if (req.method === 'POST' && isInitializeRequest(body)) return openSession(who.userId, req, res, body);
    reply(res, 400, -32000, 'Bad request: send initialize first, then the Mcp-Session-Id header it returns.');
  }

  /** A server for the token's user; `req` (the initialize, or stateless the request itself) gives the media base URL. */
  function serverFor(userId: string, req: IncomingMessage) {
    return createServer({
      service: deps.service,
      log: log.child({ mcpUser: userId }),
      owner: mcpOwner(userId),
      viewerMedia: signer.forUser(userId, deps.publicUrl ?? requestBaseUrl(req)),
      // Stateless, nothing reaches the client between its requests: no resource subscriptions.
      subscriptions: mode === 'sessions',
      ...(deps.pollIntervalMs ? { pollIntervalMs: deps.pollIntervalMs } : {}),
      ...(deps.taskPollIntervalMs ? { taskPollIntervalMs: deps.taskPollIntervalMs } : {}),
    });
  }

  async function openSession(userId: string, req: IncomingMessage, res: ServerResponse, body: unknown) {
    const app = serverFor(userId, req);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.add(id, { transport, app, userId, lastSeen: Date.now() });
        log.info({ session: id, mcpUser: userId }, 'MCP session opened');
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) void sessions.close(transport.sessionId);
    };
    await app.server.connect(transport);
    await transport.handleRequest(req, res, body);
    if (transport.sessionId === undefined) await app.close();
  }

  return {
    server,
    mode,
    sessionCount: () => sessions.size,
    async close() {
      clearInterval(sweeper);
      await sessions.closeAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** `http://` and the request's Host header: how this client reached the server. */
function requestBaseUrl(req: IncomingMessage): string {
  const base = `http://${req.headers.host ?? '127.0.0.1'}`;
  return URL.canParse(base) ? base : 'http://127.0.0.1';
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function reply(res: ServerResponse, status: number, code: number, message: string): void {
  res
    .writeHead(status, { 'content-type': 'application/json' })
    .end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
