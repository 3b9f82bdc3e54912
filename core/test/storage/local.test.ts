import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PermanentError } from '../../src/errors.js';
import type { BlobStore } from '../../src/storage/index.js';
import { createLocalBlobStore, finalKey, openBlobStore, storyboardKey, videoPrefix } from '../../src/storage/index.js';
import { describeBlobStoreContract } from './blob-store-contract.js';

async function allFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(directory, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

describeBlobStoreContract('local', async () => {
  const base = await mkdtemp(join(tmpdir(), 'reelsmith-blob-local-'));
  const rootDir = join(base, 'root', 'store');
  return {
    store: createLocalBlobStore({ rootDir }),
    snapshot: () => allFiles(base),
    dispose: () => rm(base, { recursive: true, force: true }),
  };
});

describe('local BlobStore', () => {
  let base: string;
  let rootDir: string;
  let store: BlobStore;
  const user = randomUUID();
  const video = randomUUID();

  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'reelsmith-blob-local-'));
    rootDir = join(base, 'root');
    store = createLocalBlobStore({ rootDir });
  });

  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('keeps each object as a file at its key path under rootDir', async () => {
    const key = finalKey(user, video);
    await store.put(key, { buffer: Buffer.from('final cut') });
    expect(await readFile(join(rootDir, user, 'videos', video, 'final.mp4'), 'utf8')).toBe('final cut');
  });

  it('gives a file:// URL of the absolute path that holds the bytes', async () => {
    const bytes = randomBytes(2048);
    const key = storyboardKey(user, video, 0);
    await store.put(key, { buffer: bytes });
    const url = await store.url(key, 60);
    expect(url.startsWith('file:///')).toBe(true);
    const path = fileURLToPath(url);
    expect(path).toBe(join(rootDir, user, 'videos', video, 'storyboard_00.png'));
    expect((await readFile(path)).equals(bytes)).toBe(true);
  });

  it('lists neither temp files nor directories', async () => {
    const key = finalKey(user, video);
    await store.put(key, { buffer: Buffer.from('x') });
    const directory = join(rootDir, user, 'videos', video);
    await writeFile(join(directory, '.final.mp4.0123456789abcdef.tmp'), 'half-written');
    await mkdir(join(directory, 'empty-dir'));
    expect(await store.list(videoPrefix(user, video))).toEqual([key]);
  });

  it('refuses to store an object where a prefix already has objects, and the reverse', async () => {
    await store.put(`${user}/a/b`, { buffer: Buffer.from('x') });
    await expect(store.put(`${user}/a`, { buffer: Buffer.from('y') })).rejects.toBeInstanceOf(PermanentError);
    await expect(store.put(`${user}/a/b/c`, { buffer: Buffer.from('z') })).rejects.toBeInstanceOf(PermanentError);
    expect(await store.list(`${user}/`)).toEqual([`${user}/a/b`]);
    expect(await allFiles(rootDir)).toEqual([`${user}/a/b`]);
  });

  it('is what openBlobStore returns without s3 options, rooted at dataDir/storage', async () => {
    const fromConfig = await openBlobStore({ dataDir: base });
    expect(fromConfig.backend).toBe('local');
    const key = finalKey(user, video);
    await fromConfig.put(key, { buffer: Buffer.from('configured') });
    expect(await readFile(join(base, 'storage', user, 'videos', video, 'final.mp4'), 'utf8')).toBe('configured');
    await fromConfig.close();
  });
});
