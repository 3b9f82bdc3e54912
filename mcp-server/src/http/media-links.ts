import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ViewerMedia } from '../viewer/viewer-media.js';

export const MEDIA_PATH = '/media/';

/** Signs and checks `/media/{videoId}/{name}` links: who may fetch which file of which video, until when. */
export interface MediaSigner {
  /** The session's media for the viewer: signed links to this server, or the presigned S3 URL as is. */
  forUser(userId: string, baseUrl: string): ViewerMedia;
  /** The user a link was signed for, when `signature` matches and `expires` (unix seconds) has not passed. */
  verify(link: MediaLink): string | undefined;
}

export interface MediaLink {
  videoId: string;
  name: string;
  userId: string;
  expires: number;
  signature: string;
}

export interface MediaSignerOptions {
  /** HMAC key; one per process is enough (links die with the server, like its sessions). */
  secret: Buffer;
  /** Lifetime of a link in seconds. */
  ttlS: number;
  /** Origins of presigned storage URLs (S3), declared next to this server's own. */
  storageOrigins?: readonly string[];
  now?: () => number;
}

/**
 * Expiring, signed media links: HMAC-SHA256 over video, file name, user and expiry. Expiry is rounded
 * up to a tenth of the lifetime so the same file keeps the same link for a while (the viewer polls).
 */
export function createMediaSigner(options: MediaSignerOptions): MediaSigner {
  const now = options.now ?? (() => Date.now() / 1000);
  const step = Math.max(1, Math.floor(options.ttlS / 10));
  const sign = (videoId: string, name: string, userId: string, expires: number) =>
    createHmac('sha256', options.secret).update(`${videoId}\n${name}\n${userId}\n${expires}`).digest('base64url');

  return {
    forUser(userId, baseUrl) {
      const base = baseUrl.replace(/\/+$/, '');
      return {
        origins: [new URL(base).origin, ...(options.storageOrigins ?? [])],
        urlOf(videoId, file) {
          if ('url' in file.file) return file.file.url;
          const expires = Math.ceil((now() + options.ttlS) / step) * step;
          const query = new URLSearchParams({
            u: userId,
            e: String(expires),
            s: sign(videoId, file.name, userId, expires),
          });
          return `${base}${MEDIA_PATH}${encodeURIComponent(videoId)}/${encodeURIComponent(file.name)}?${query}`;
        },
      };
    },
    verify(link) {
      if (!Number.isFinite(link.expires) || link.expires < now()) return undefined;
      const expected = Buffer.from(sign(link.videoId, link.name, link.userId, link.expires));
      const given = Buffer.from(link.signature);
      return given.length === expected.length && timingSafeEqual(given, expected) ? link.userId : undefined;
    },
  };
}

/** The link in a `/media/{videoId}/{name}?u=&e=&s=` request, or undefined when it is not one. */
export function parseMediaLink(url: URL): MediaLink | undefined {
  const [videoId, name, ...rest] = url.pathname.slice(MEDIA_PATH.length).split('/');
  const userId = url.searchParams.get('u');
  const signature = url.searchParams.get('s');
  if (!videoId || !name || rest.length > 0 || !userId || !signature) return undefined;
  try {
    return {
      videoId: decodeURIComponent(videoId),
      name: decodeURIComponent(name),
      userId,
      expires: Number(url.searchParams.get('e')),
      signature,
    };
  } catch {
    return undefined;
  }
}
