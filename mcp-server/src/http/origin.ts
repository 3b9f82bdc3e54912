import { isLoopbackHost } from './auth.js';

/**
 * Whether a browser `Origin` may call the server (DNS-rebinding and cross-site protection). No Origin
 * (a non-browser client) passes. With `allowed` configured only those origins pass; otherwise only
 * loopback origins (http(s)://localhost, 127.0.0.1, [::1], any port).
 */
export function isAllowedOrigin(origin: string | undefined, allowed: readonly string[] | undefined): boolean {
  if (origin === undefined) return true;
  if (allowed && allowed.length > 0) return allowed.includes(origin) || allowed.includes('*');
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

/** Whether the Host header names an allowed host (any port); undefined `allowed` accepts every host. */
export function isAllowedHost(host: string | undefined, allowed: readonly string[] | undefined): boolean {
  if (!allowed) return true;
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? '');
  return allowed.includes(name.toLowerCase());
}
