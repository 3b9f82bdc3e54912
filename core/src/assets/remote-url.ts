import { UserError } from '../errors.js';

const SHOWN_URL_CHARS = 200;
const DEFAULT_FILENAME = 'download';

/** `url` shortened for a message a person reads. */
export function displayUrl(url: string | URL): string {
  const text = String(url);
  return text.length > SHOWN_URL_CHARS ? `${text.slice(0, SHOWN_URL_CHARS)}…` : text;
}

/**
 * Parses `raw` (relative to `base` for a redirect's Location) and accepts only `https:` URLs without a
 * user name or password. Looks nothing up and opens nothing.
 * @throws UserError `url_invalid`, `url_not_https` or `url_has_credentials`, each naming the URL.
 */
export function parseHttpsUrl(raw: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw.trim(), base);
  } catch (error) {
    throw new UserError('url_invalid', `${displayUrl(raw)} is not a valid URL; paste a full https:// link.`, {
      cause: error,
    });
  }
  if (url.protocol !== 'https:') {
    throw new UserError(
      'url_not_https',
      `${displayUrl(url)} is not an https:// link; Reelsmith only downloads files over https.`,
      { details: { protocol: url.protocol } },
    );
  }
  if (url.username || url.password) {
    throw new UserError(
      'url_has_credentials',
      `${displayUrl(`https://${url.host}${url.pathname}`)} carries a user name or password; use a link without credentials.`,
    );
  }
  return url;
}

/** A safe file name from the URL path's last segment (`photo.png`), or `download` when there is none. */
export function filenameFromUrl(url: URL): string {
  const segment = url.pathname.split('/').filter(Boolean).pop() ?? '';
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {}
  const cleaned = decoded
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[_.-]+|[_.-]+$/g, '')
    .slice(0, 100);
  return cleaned || DEFAULT_FILENAME;
}
