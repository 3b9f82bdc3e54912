import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { UserError, type VideoService } from '@reelsmith/core';
import { mcpOwner } from '../identity.js';
import { findMediaFile } from '../viewer/media-files.js';
import { type MediaSigner, parseMediaLink } from './media-links.js';

/**
 * `GET|HEAD /media/{videoId}/{name}?u=&e=&s=`: a file of a video for the viewer, which cannot send a
 * bearer token (a `<video src>` in a sandboxed iframe). The signature and expiry stand in for the
 * token (403 otherwise); the signed user must still own the video (404 otherwise, as for tools), and
 * `name` must be one of its current files. Local files are streamed with byte ranges (players seek);
 * a file in S3 redirects to its presigned URL.
 */
export async function serveMedia(
  req: IncomingMessage,
  res: ServerResponse,
  deps: { service: VideoService; signer: MediaSigner },
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('Method not allowed.');
    return;
  }
  const link = parseMediaLink(new URL(req.url ?? '/', 'http://localhost'));
  const userId = link && deps.signer.verify(link);
  if (!link || !userId) {
    text(res, 403, 'This media link is not valid or has expired: open the video again (get_video) for a fresh one.');
    return;
  }
  let file: ReturnType<typeof findMediaFile>;
  try {
    file = findMediaFile(await deps.service.get(mcpOwner(userId), link.videoId), link.name);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return text(res, 404, error.message);
  }
  if (!file) return text(res, 404, `${link.name} is no longer a current file of video ${link.videoId}.`);
  if ('url' in file.file) {
    res.writeHead(302, { location: file.file.url, 'cache-control': 'no-store' }).end();
    return;
  }
  const size = (await stat(file.file.path)).size;
  const range = byteRange(req.headers.range, size);
  const headers = {
    'content-type': file.mimeType,
    'accept-ranges': 'bytes',
    'cache-control': 'private, max-age=300',
    'cross-origin-resource-policy': 'cross-origin',
    'x-content-type-options': 'nosniff',
  };
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${size}` }).end();
    return;
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  res.writeHead(range ? 206 : 200, {
    ...headers,
    'content-length': String(end - start + 1),
    ...(range ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
  });
  if (req.method === 'HEAD' || size === 0) return void res.end();
  await pipeline(createReadStream(file.file.path, { start, end }), res).catch((error: NodeJS.ErrnoException) => {
    // Players drop connections mid-file (seeking, pausing): that is not a failure.
    if (error.code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
  });
}

/** One `bytes=` range of a `size`-byte file (open-ended and suffix forms too); undefined: the whole file. */
export function byteRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  return start > end || start >= size ? 'unsatisfiable' : { start, end };
}

function text(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(message);
}
