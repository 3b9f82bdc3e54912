import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const TEMP_NAME = /^\..*\.[0-9a-f]{16}\.tmp$/;

/** True for the names `writeAtomically` gives its temp files (so directory walks can skip them). */
export function isTempName(name: string): boolean {
  return TEMP_NAME.test(name);
}

/**
 * Creates `path` (and its parent directories) by letting `writeTemp` fill a fresh temp file in the same
 * directory, then renaming it over `path`. On any failure the temp file is removed and `path` is untouched.
 * Returns the size in bytes of what was written.
 */
export async function writeAtomically(path: string, writeTemp: (tempPath: string) => Promise<void>): Promise<number> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true });
  const tempPath = join(directory, `.${basename(path).slice(0, 100)}.${randomBytes(8).toString('hex')}.tmp`);
  try {
    await writeTemp(tempPath);
    const { size } = await stat(tempPath);
    await rename(tempPath, path);
    return size;
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
}

/** `writeAtomically` fed from a stream; the stream is destroyed if writing fails. */
export async function writeStreamAtomically(path: string, source: Readable | NodeJS.ReadableStream): Promise<number> {
  try {
    return await writeAtomically(path, async (tempPath) => {
      const handle = await open(tempPath, 'wx');
      await pipeline(source, handle.createWriteStream());
    });
  } catch (error) {
    if ('destroy' in source && typeof source.destroy === 'function') source.destroy();
    throw error;
  }
}
