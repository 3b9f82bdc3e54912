import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/** Who may use the HTTP server, and as whom. */
export interface HttpAuth {
  /** Bearer token → user id. When empty no token is asked for (loopback only) and everyone is `anonymousUserId`. */
  tokens: ReadonlyMap<string, string>;
  anonymousUserId: string;
}

export type AuthOutcome = { ok: true; userId: string } | { ok: false; reason: string };

/** The user of an `Authorization: Bearer …` header, compared in constant time against every known token. */
export function authenticate(header: string | undefined, auth: HttpAuth): AuthOutcome {
  if (auth.tokens.size === 0) return { ok: true, userId: auth.anonymousUserId };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return { ok: false, reason: 'Send Authorization: Bearer <token> (MCP_HTTP_TOKEN).' };
  const given = digest(match[1]);
  let userId: string | undefined;
  for (const [token, user] of auth.tokens) {
    if (timingSafeEqual(given, digest(token)) && userId === undefined) userId = user;
  }
  return userId === undefined ? { ok: false, reason: 'The bearer token is not valid.' } : { ok: true, userId };
}

/**
 * The HTTP identities from the config: each MCP_HTTP_TOKENS token is its user; MCP_HTTP_TOKEN is
 * MCP_USER_ID (or `http`). Without tokens everyone is `localUserId`.
 */
export function httpAuthFrom(
  mcp: { httpToken: string | undefined; httpTokens: Readonly<Record<string, string>>; userId: string | undefined },
  localUserId: string,
): HttpAuth {
  const tokens = new Map(Object.entries(mcp.httpTokens));
  if (mcp.httpToken && !tokens.has(mcp.httpToken)) tokens.set(mcp.httpToken, mcp.userId ?? 'http');
  return { tokens, anonymousUserId: localUserId };
}

/** True for 127.0.0.0/8, ::1 and localhost: only this machine can connect. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/**
 * Refuses to expose an unauthenticated server: without a token the host must be loopback.
 * @returns the reason to refuse, or undefined when it is safe to listen.
 */
export function exposureProblem(host: string, auth: HttpAuth): string | undefined {
  if (auth.tokens.size > 0 || isLoopbackHost(host)) return undefined;
  return `MCP_HTTP_HOST is ${host}, which other machines can reach, and no MCP_HTTP_TOKEN or MCP_HTTP_TOKENS is set: anyone could make videos on your account. Set MCP_HTTP_TOKEN (e.g. openssl rand -hex 24) or bind to 127.0.0.1.`;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
