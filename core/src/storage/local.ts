import type { Dirent } from 'node:fs';
import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { copyFile, open, readdir, stat, unlink, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { PermanentError } from '../errors.js';
import { isTempName, writeAtomically, writeStreamAtomically } from './atomic-file.js';
import type { BlobSource, BlobStore, PutResult, StoredObject } from './blob-store.js';
import { BlobNotFoundError } from './blob-store.js';
import { assertValidKey, assertValidPrefix } from './keys.js';
import { assertValidPresignTtl } from './presign-ttl.js';

export type LocalBlobStoreOptions = {
  /** Directory the objects live under (created on first write); key `a/b` is the file `{rootDir}/a/b`. */
  rootDir: string;
};

const MISSING = new Set(['ENOENT', 'ENOTDIR']);
const PATH_CONFLICT = new Set(['EEXIST', 'EISDIR', 'ENOTDIR']);

function errnoOf(error: unknown): { code?: unknown; path?: unknown } {
  return error instanceof Error ? (error as { code?: unknown; path?: unknown }) : {};
}

function isMissing(error: unknown): boolean {
  return MISSING.has(String(errnoOf(error).code));
}

async function walkFiles(directory: string, relative: string, into: string[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  for (const entry of entries) {
    if (entry.isDirectory()) await walkFiles(join(directory, entry.name), `${relative}${entry.name}/`, into);
    else if (entry.isFile() && !isTempName(entry.name)) into.push(`${relative}${entry.name}`);
  }
}

/**
 * A BlobStore on the local filesystem. Writes go to a temp file in the target directory and are renamed
 * into place, so readers never see a partial object. `contentType` is ignored; `url()` is a `file://` URL
 * of the object's absolute path. A key cannot be both an object and a prefix of another (`a` and `a/b`):
 * such a `put` throws PermanentError.
 */
export function createLocalBlobStore(options: LocalBlobStoreOptions): BlobStore {
  const rootDir = resolve(options.rootDir);

  function pathOf(key: string): string {
    assertValidKey(key);
    const path = join(rootDir, ...key.split('/'));
    if (!path.startsWith(rootDir + sep))
      throw new PermanentError(`Storage key ${JSON.stringify(key)} escapes the root`);
    return path;
  }

  function writeSource(path: string, source: BlobSource): Promise<number> {
    if ('buffer' in source) return writeAtomically(path, (temp) => writeFile(temp, source.buffer, { flag: 'wx' }));
    if ('file' in source) return writeAtomically(path, (temp) => copyFile(source.file, temp, constants.COPYFILE_EXCL));
    return writeStreamAtomically(path, source.stream);
  }

  async function put(key: string, source: BlobSource): Promise<PutResult> {
    const path = pathOf(key);
    try {
      return { key, sizeBytes: await writeSource(path, source) };
    } catch (error) {
      const { code, path: failedPath } = errnoOf(error);
      if (PATH_CONFLICT.has(String(code)) && typeof failedPath === 'string' && failedPath.startsWith(rootDir + sep)) {
        throw new PermanentError(`Cannot store ${JSON.stringify(key)}: it clashes with an existing object or prefix`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  async function getStream(key: string): Promise<Readable> {
    const path = pathOf(key);
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if (isMissing(error)) throw new BlobNotFoundError(key, { cause: error });
      throw error;
    }
    if (!(await handle.stat()).isFile()) {
      await handle.close();
      throw new BlobNotFoundError(key);
    }
    return handle.createReadStream();
  }

  async function get(key: string, dest: { file: string }): Promise<void> {
    await writeStreamAtomically(dest.file, await getStream(key));
  }

  async function exists(key: string): Promise<boolean> {
    const path = pathOf(key);
    try {
      return (await stat(path)).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async function remove(key: string): Promise<void> {
    const path = pathOf(key);
    try {
      await unlink(path);
    } catch (error) {
      if (!isMissing(error) && errnoOf(error).code !== 'EISDIR') throw error;
    }
  }

  async function list(prefix: string): Promise<string[]> {
    assertValidPrefix(prefix);
    const directoryPart = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const keys: string[] = [];
    await walkFiles(join(rootDir, ...directoryPart.split('/')), directoryPart, keys);
    return keys.filter((key) => key.startsWith(prefix)).sort();
  }

  async function listObjects(prefix: string): Promise<StoredObject[]> {
    const objects: StoredObject[] = [];
    for (const key of await list(prefix)) {
      try {
        const info = await stat(pathOf(key));
        if (info.isFile()) objects.push({ key, sizeBytes: info.size });
      } catch (error) {
        // Deleted between the walk and the stat: it is no longer stored.
        if (!isMissing(error)) throw error;
      }
    }
    return objects;
  }

  async function url(key: string, ttlS?: number): Promise<string> {
    const path = pathOf(key);
    if (ttlS !== undefined) assertValidPresignTtl(ttlS);
    return pathToFileURL(path).href;
  }

  return {
    backend: 'local',
    put,
    get,
    getStream,
    exists,
    delete: remove,
    list,
    listObjects,
    url,
    close: async () => {},
  };
}
