import { describe, expect, it } from 'vitest';
import { authenticate, exposureProblem, httpAuthFrom, isLoopbackHost } from '../src/http/auth.js';
import { isAllowedHost, isAllowedOrigin } from '../src/http/origin.js';

describe('HTTP guards', () => {
  const auth = httpAuthFrom(
    { httpToken: 'single-token-0123456789', httpTokens: { 'tok-alice-0123456789': 'alice' }, userId: 'owner' },
    'local-user',
  );

  it('maps each bearer token to its user: MCP_HTTP_TOKENS to theirs, MCP_HTTP_TOKEN to MCP_USER_ID', () => {
    expect(authenticate('Bearer tok-alice-0123456789', auth)).toEqual({ ok: true, userId: 'alice' });
    expect(authenticate('bearer single-token-0123456789', auth)).toEqual({ ok: true, userId: 'owner' });
    expect(authenticate('Bearer tok-alice-012345678', auth).ok).toBe(false);
    expect(authenticate(undefined, auth).ok).toBe(false);
    expect(authenticate('tok-alice-0123456789', auth).ok).toBe(false);
  });

  it("names MCP_HTTP_TOKEN's user 'http' without MCP_USER_ID, and everyone the local user without tokens", () => {
    const single = httpAuthFrom({ httpToken: 'single-token-0123456789', httpTokens: {}, userId: undefined }, 'me');
    expect(authenticate('Bearer single-token-0123456789', single)).toEqual({ ok: true, userId: 'http' });
    const open = httpAuthFrom({ httpToken: undefined, httpTokens: {}, userId: undefined }, 'me');
    expect(authenticate(undefined, open)).toEqual({ ok: true, userId: 'me' });
  });

  it('refuses to expose a server without a token beyond loopback', () => {
    const open = httpAuthFrom({ httpToken: undefined, httpTokens: {}, userId: undefined }, 'me');
    expect(exposureProblem('0.0.0.0', open)).toMatch(/Set MCP_HTTP_TOKEN/);
    expect(exposureProblem('192.168.1.20', open)).toMatch(/other machines can reach/);
    expect(exposureProblem('127.0.0.1', open)).toBeUndefined();
    expect(exposureProblem('0.0.0.0', auth)).toBeUndefined();
    expect(['localhost', '::1', '[::1]', '127.0.0.2'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '10.0.0.1', 'example.com'].some(isLoopbackHost)).toBe(false);
  });

  it('accepts no Origin, loopback origins by default, and only the configured ones otherwise', () => {
    expect(isAllowedOrigin(undefined, undefined)).toBe(true);
    expect(isAllowedOrigin('http://localhost:6274', undefined)).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:3000', undefined)).toBe(true);
    expect(isAllowedOrigin('https://evil.example', undefined)).toBe(false);
    expect(isAllowedOrigin('null', undefined)).toBe(false);
    expect(isAllowedOrigin('https://app.example', ['https://app.example'])).toBe(true);
    expect(isAllowedOrigin('http://localhost:6274', ['https://app.example'])).toBe(false);
  });

  it('checks the Host header against loopback names (DNS rebinding)', () => {
    const loopback = ['localhost', '127.0.0.1', '[::1]'];
    expect(isAllowedHost('127.0.0.1:3333', loopback)).toBe(true);
    expect(isAllowedHost('[::1]:3333', loopback)).toBe(true);
    expect(isAllowedHost('evil.example:3333', loopback)).toBe(false);
    expect(isAllowedHost(undefined, loopback)).toBe(false);
    expect(isAllowedHost('anything', undefined)).toBe(true);
  });
});
