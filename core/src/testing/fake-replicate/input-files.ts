import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const EXT_BY_MIME: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
};

/** Where the fake finds files given as inputs. */
export interface InputFileResolver {
  /**
   * A local file holding the input `value` (a data URI, a URL of a file uploaded to this fake, or any
   * other http(s) URL, fetched); undefined for anything else. Throws when a URL cannot be fetched.
   */
  resolve(value: unknown, signal: AbortSignal): Promise<string | undefined>;
}

/**
 * Resolves input files into `scratchDir`. `uploadedPath` maps a URL of this fake's own files API to
 * the uploaded file (undefined when the URL is not one).
 */
export function createInputFileResolver(
  scratchDir: string,
  uploadedPath: (url: string) => string | undefined,
): InputFileResolver {
  return {
    async resolve(value, signal) {
      if (typeof value !== 'string' || value === '') return undefined;
      if (value.startsWith('data:')) return writeDataUri(scratchDir, value);
      if (!/^https?:\/\//.test(value)) return undefined;
      const uploaded = uploadedPath(value);
      if (uploaded) return uploaded;
      const response = await fetch(value, { signal });
      if (!response.ok) throw new Error(`input ${value} could not be fetched (${response.status})`);
      const mime = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
      const ext = EXT_BY_MIME[mime] ?? (new URL(value).pathname.split('.').pop() || 'bin');
      const file = join(scratchDir, `${randomBytes(8).toString('hex')}.${ext}`);
      await writeFile(file, Buffer.from(await response.arrayBuffer()));
      return file;
    },
  };
}

async function writeDataUri(scratchDir: string, uri: string): Promise<string> {
  const match = /^data:([^;,]*)(;base64)?,(.*)$/s.exec(uri);
  if (!match) throw new Error('malformed data URI');
  const mime = match[1] ?? '';
  const payload = match[3] ?? '';
  const bytes = match[2] ? Buffer.from(payload, 'base64') : Buffer.from(decodeURIComponent(payload));
  const file = join(scratchDir, `${randomBytes(8).toString('hex')}.${EXT_BY_MIME[mime] ?? 'bin'}`);
  await writeFile(file, bytes);
  return file;
}
