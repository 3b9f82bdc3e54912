import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { pipeline } from 'node:stream/promises';

const CONTENT_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.m4a': 'audio/mp4',
};

/** Thrown while reading a request body that is larger than allowed. */
export class BodyTooLargeError extends Error {}

/** The whole request body; rejects with BodyTooLargeError past `limitBytes`. */
export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limitBytes) throw new BodyTooLargeError(`body larger than ${limitBytes} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Answers `status` with `body` as JSON, plus `headers`. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Replicate's problem-details error body. */
export function sendProblem(res: ServerResponse, status: number, title: string, detail: string): void {
  sendJson(res, status, { title, detail, status });
}

/** Streams `file` (404 when it is gone), typed by its extension. */
export async function sendFile(res: ServerResponse, file: string | undefined): Promise<void> {
  const info = file ? await stat(file).catch(() => undefined) : undefined;
  if (!file || !info) {
    sendProblem(res, 404, 'Not found', 'The requested file does not exist or has expired.');
    return;
  }
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': info.size,
  });
  await pipeline(createReadStream(file), res);
}
