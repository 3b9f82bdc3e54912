import type { LookupAddress } from 'node:dns';
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import type { SecureContextOptions } from 'node:tls';
import { UserError } from '../errors.js';
import { ipLiteral } from './address-policy.js';
import { displayUrl } from './remote-url.js';
import { pinnedLookup } from './resolve-allowed.js';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** One GET over https to addresses already checked. */
export interface PinnedGetParams {
  url: URL;
  /** The checked addresses of `url`'s host; the socket connects only to these. */
  addresses: readonly LookupAddress[];
  /** A body longer than this is refused (up front from Content-Length, else as soon as it is exceeded). */
  maxBytes: number;
  /** Aborting destroys the request and its socket; the promise rejects with an AbortError. */
  signal: AbortSignal;
  /** Extra trust anchors (tests use a self-signed certificate); the system roots otherwise. */
  ca?: SecureContextOptions['ca'] | undefined;
  /** An `Authorization` header value to send with this request (the caller decides which hosts get it). */
  authorization?: string | undefined;
}

/** What one GET answered: a redirect to follow (the caller checks its target) or a complete body. */
export type PinnedGetResult =
  | { kind: 'redirect'; status: number; location: string }
  | { kind: 'body'; bytes: Uint8Array; contentType: string | undefined };

/**
 * Sends one GET on a fresh, unpooled TLS connection to the pinned addresses, with SNI and Host set to
 * the URL's host name, and reads the answer under the size cap. Nothing is retried.
 * @throws UserError `file_too_large` (the socket is closed at once), `url_fetch_failed` for a status
 *   that is neither 2xx nor a redirect with a Location; network and TLS errors reject as they are.
 */
export function pinnedGet(params: PinnedGetParams): Promise<PinnedGetResult> {
  const { url, maxBytes } = params;
  const host = ipLiteral(url.hostname) ?? url.hostname;
  return new Promise<PinnedGetResult>((resolvePromise, reject) => {
    let settled = false;
    const finish = (error: unknown, result?: PinnedGetResult): void => {
      if (settled) return;
      settled = true;
      if (error === undefined && result) resolvePromise(result);
      else {
        req.destroy();
        reject(error);
      }
    };
    const req = request({
      host,
      port: url.port || 443,
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers: {
        accept: '*/*',
        'accept-encoding': 'identity',
        'user-agent': 'Reelsmith/0.1',
        ...(params.authorization ? { authorization: params.authorization } : {}),
      },
      agent: false,
      lookup: pinnedLookup(params.addresses),
      signal: params.signal,
      ...(host === url.hostname ? { servername: host } : {}),
      ...(params.ca ? { ca: params.ca } : {}),
    });
    req.on('error', (error) => finish(error));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (REDIRECT_STATUSES.has(status) && res.headers.location) {
        finish(undefined, { kind: 'redirect', status, location: res.headers.location });
        req.destroy();
        return;
      }
      if (status < 200 || status > 299) {
        finish(
          new UserError('url_fetch_failed', `Could not download ${displayUrl(url)}: the server answered ${status}.`, {
            details: { status },
          }),
        );
        return;
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        finish(tooLarge(url, maxBytes));
        return;
      }
      readBody(res, url, maxBytes, finish);
    });
    req.end();
  });
}

function readBody(
  res: IncomingMessage,
  url: URL,
  maxBytes: number,
  finish: (error: unknown, result?: PinnedGetResult) => void,
): void {
  const chunks: Buffer[] = [];
  let received = 0;
  res.on('data', (chunk: Buffer) => {
    received += chunk.byteLength;
    if (received > maxBytes) finish(tooLarge(url, maxBytes));
    else chunks.push(chunk);
  });
  res.on('error', (error) => finish(error));
  res.on('close', () => {
    if (!res.complete) {
      finish(
        new UserError(
          'url_fetch_failed',
          `Could not download ${displayUrl(url)}: the connection closed before the file was complete.`,
        ),
      );
    }
  });
  res.on('end', () => {
    const contentType = res.headers['content-type']?.split(';')[0]?.trim().toLowerCase() || undefined;
    finish(undefined, { kind: 'body', bytes: new Uint8Array(Buffer.concat(chunks)), contentType });
  });
}

function tooLarge(url: URL, maxBytes: number): UserError {
  const mib = (maxBytes / 1024 / 1024).toFixed(maxBytes % (1024 * 1024) === 0 ? 0 : 1);
  return new UserError(
    'file_too_large',
    `${displayUrl(url)} is larger than ${mib} MiB, the most Reelsmith accepts here; use a smaller file.`,
    { details: { maxBytes } },
  );
}
