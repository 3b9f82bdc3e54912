import type { SecureContextOptions } from 'node:tls';
import { UserError } from '../errors.js';
import { abortReason } from '../media/run-ffmpeg.js';
import { pinnedGet } from './pinned-get.js';
import { displayUrl, filenameFromUrl, parseHttpsUrl } from './remote-url.js';
import { type AddressPolicy, type LookupAll, resolveAllowedAddresses } from './resolve-allowed.js';

export type { AddressPolicy, LookupAll } from './resolve-allowed.js';

/** Redirects followed before giving up; each target is checked like the first URL. */
export const MAX_REDIRECTS = 3;
export const DEFAULT_FETCH_TIMEOUT_MS = 15_000;

/** Limits and seams for `fetchRemoteFile`. */
export interface FetchRemoteFileOptions {
  /** The largest body accepted, in bytes. */
  maxBytes: number;
  /** The whole download (every DNS lookup, connection, redirect and the body) must finish within this. */
  timeoutMs?: number | undefined;
  /** Cancels the download; the promise then rejects with the signal's reason, not a UserError. */
  signal?: AbortSignal | undefined;
  /** Name resolution, `dns.promises.lookup` by default. Called once per host; its answer is pinned. */
  lookup?: LookupAll | undefined;
  /**
   * Which resolved addresses may be reached; `isPublicAddress` by default. A test seam: production code
   * leaves it unset, tests allow 127.0.0.1 to reach a loopback server.
   */
  isAllowedAddress?: AddressPolicy | undefined;
  /** Extra trust anchors for TLS, a test seam for a self-signed server; the system roots otherwise. */
  ca?: SecureContextOptions['ca'] | undefined;
  /**
   * An `Authorization` header for a file behind a login (a Slack file's `url_private` takes the bot
   * token). Sent to the first URL's host only, never to a redirect target on another host.
   */
  authorization?: string | undefined;
}

/** A downloaded file: its bytes, a safe name from the URL, the declared type, and the URL it came from. */
export interface RemoteFile {
  bytes: Uint8Array;
  /** The final URL's last path segment made safe (`photo.png`), or `download`. */
  filename: string;
  /** The server's Content-Type without parameters; informative only, never trusted for validation. */
  contentType?: string;
  /** The URL after redirects. */
  finalUrl: string;
}

/**
 * Downloads a file a person linked to, refusing anything that could reach a private network. Each URL
 * (the first and every redirect target) must be https without credentials; its host is resolved once
 * and every address must pass the policy; the connection then goes to those checked addresses only
 * (SNI and Host stay the host name), so DNS rebinding cannot swap the address between check and
 * connect. At most 3 redirects are followed. Refused URLs open no connection.
 * @throws UserError, each message naming the URL: `url_invalid`, `url_not_https`, `url_has_credentials`,
 *   `url_private_address`, `url_too_many_redirects`, `file_too_large`, `url_timeout`, `url_fetch_failed`
 *   (a non-2xx status in `details.status`, an unknown host, a network or TLS failure). An abort by
 *   `signal` rejects with its reason.
 */
export async function fetchRemoteFile(url: string, options: FetchRemoteFileOptions): Promise<RemoteFile> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const external = options.signal;
  if (external?.aborted) throw abortReason(external);
  let current = parseHttpsUrl(url);
  const firstHost = current.host;
  const controller = new AbortController();
  const timedOut = new Error('timed out');
  const timer = setTimeout(() => controller.abort(timedOut), timeoutMs);
  const onAbort = (): void => controller.abort(external ? abortReason(external) : undefined);
  external?.addEventListener('abort', onAbort, { once: true });
  try {
    for (let redirects = 0; ; redirects += 1) {
      const addresses = await untilAborted(
        resolveAllowedAddresses(current, { lookup: options.lookup, isAllowedAddress: options.isAllowedAddress }),
        controller.signal,
      );
      const answer = await pinnedGet({
        url: current,
        addresses,
        maxBytes: options.maxBytes,
        signal: controller.signal,
        ca: options.ca,
        authorization: current.host === firstHost ? options.authorization : undefined,
      });
      if (answer.kind === 'body') {
        const file: RemoteFile = { bytes: answer.bytes, filename: filenameFromUrl(current), finalUrl: current.href };
        if (answer.contentType) file.contentType = answer.contentType;
        return file;
      }
      if (redirects >= MAX_REDIRECTS) {
        throw new UserError(
          'url_too_many_redirects',
          `${displayUrl(url)} redirects more than ${MAX_REDIRECTS} times; link to the file itself.`,
        );
      }
      current = parseHttpsUrl(answer.location, current);
    }
  } catch (error) {
    if (controller.signal.aborted && controller.signal.reason === timedOut) {
      throw new UserError(
        'url_timeout',
        `Downloading ${displayUrl(current)} took longer than ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}; try a faster host or a smaller file.`,
        { cause: error, details: { timeoutMs } },
      );
    }
    if (external?.aborted) throw abortReason(external);
    if (error instanceof UserError) throw error;
    throw new UserError(
      'url_fetch_failed',
      `Could not download ${displayUrl(current)}: ${describeNetworkError(error)}.`,
      {
        cause: error,
      },
    );
  } finally {
    clearTimeout(timer);
    external?.removeEventListener('abort', onAbort);
  }
}

/** `promise`, or a rejection as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolvePromise, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolvePromise, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function describeNetworkError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (code === 'ECONNREFUSED') return 'the server refused the connection';
    if (code === 'ECONNRESET') return 'the server closed the connection';
    if (code.startsWith('ERR_TLS') || code.includes('CERT') || code.startsWith('UNABLE_TO')) {
      return 'its https certificate is not valid';
    }
    return `network error ${code}`;
  }
  return 'network error';
}
