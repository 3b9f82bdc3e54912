import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import type { BlobStore } from '../../src/storage/blob-store.js';
import { BlobNotFoundError } from '../../src/storage/blob-store.js';
import { assetKey, chunkKey, finalKey, storyboardKey, takeKey, videoPrefix } from '../../src/storage/keys.js';

export type BlobStoreHarness = {
  store: BlobStore;
  /** Every object the backend holds (and, for local, every file including temps), read without the store. */
  snapshot(): Promise<string[]>;
  dispose(): Promise<void>;
};

const MIB = 1024 * 1024;
const BAD_KEYS = ['../x', '/abs', 'a//b', 'a/./b', ''];

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

async function* failingAfter(chunks: Buffer[], error: Error): AsyncGenerator<Buffer> {
  for (const chunk of chunks) yield chunk;
  throw error;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** Runs the BlobStore contract against the backend each `createHarness()` call builds fresh. */
export function describeBlobStoreContract(name: string, createHarness: () => Promise<BlobStoreHarness>): void {
  describe(`BlobStore contract (${name})`, () => {
    let harness: BlobStoreHarness;
    let store: BlobStore;
    let work: string;
    let user: string;
    let video: string;

    beforeEach(async () => {
      harness = await createHarness();
      store = harness.store;
      work = await mkdtemp(join(tmpdir(), 'reelsmith-blob-work-'));
      user = randomUUID();
      video = randomUUID();
    });

    afterEach(async () => {
      await harness.dispose();
      await rm(work, { recursive: true, force: true });
    });

    it('round-trips a buffer through get (to a file) and getStream byte-for-byte', async () => {
      const bytes = randomBytes(70_000);
      const key = storyboardKey(user, video, 0);
      expect(await store.put(key, { buffer: bytes })).toEqual({ key, sizeBytes: bytes.byteLength });
      const dest = join(work, 'out', 'nested', 'copy.png');
      await store.get(key, { file: dest });
      expect((await readFile(dest)).equals(bytes)).toBe(true);
      expect((await readAll(await store.getStream(key))).equals(bytes)).toBe(true);
    });

    it('stores from a file, leaving the source file in place', async () => {
      const bytes = randomBytes(12_345);
      const source = join(work, 'render.mp4');
      await writeFile(source, bytes);
      const key = chunkKey(user, video, 1, 1, 0);
      expect(await store.put(key, { file: source })).toEqual({ key, sizeBytes: bytes.byteLength });
      expect((await readFile(source)).equals(bytes)).toBe(true);
      expect((await readAll(await store.getStream(key))).equals(bytes)).toBe(true);
    });

    it('stores from a stream and reports the streamed size', async () => {
      const parts = [randomBytes(1000), randomBytes(1), randomBytes(65_536)];
      const key = takeKey(user, video, 1);
      const result = await store.put(key, { stream: Readable.from(parts) });
      expect(result).toEqual({ key, sizeBytes: 66_537 });
      const dest = join(work, 'take.mp4');
      await store.get(key, { file: dest });
      expect((await readFile(dest)).equals(Buffer.concat(parts))).toBe(true);
    });

    it('stores an empty object', async () => {
      const key = finalKey(user, video);
      expect(await store.put(key, { buffer: new Uint8Array(0) })).toEqual({ key, sizeBytes: 0 });
      expect(await store.exists(key)).toBe(true);
      expect((await readAll(await store.getStream(key))).byteLength).toBe(0);
    });

    it('moves a ~6 MiB file through put and get intact', async () => {
      const bytes = randomBytes(6 * MIB + 123);
      const source = join(work, 'big.mp4');
      await writeFile(source, bytes);
      const key = finalKey(user, video);
      expect((await store.put(key, { file: source })).sizeBytes).toBe(bytes.byteLength);
      const dest = join(work, 'big-copy.mp4');
      await store.get(key, { file: dest });
      expect((await readFile(dest)).equals(bytes)).toBe(true);
    });

    it('replaces an existing object and overwrites an existing destination file', async () => {
      const key = finalKey(user, video);
      await store.put(key, { buffer: Buffer.from('first version') });
      await store.put(key, { buffer: Buffer.from('second') });
      const dest = join(work, 'final.mp4');
      await writeFile(dest, 'stale local copy');
      await store.get(key, { file: dest });
      expect(await readFile(dest, 'utf8')).toBe('second');
    });

    it('reports exists only for stored objects, not for prefixes or missing keys', async () => {
      const key = storyboardKey(user, video, 3);
      expect(await store.exists(key)).toBe(false);
      await store.put(key, { buffer: Buffer.from('png') });
      expect(await store.exists(key)).toBe(true);
      expect(await store.exists(`${user}/videos/${video}`)).toBe(false);
      expect(await store.exists(storyboardKey(user, video, 4))).toBe(false);
    });

    it('deletes an object and accepts deleting a missing key', async () => {
      const key = storyboardKey(user, video, 0);
      const kept = storyboardKey(user, video, 1);
      await store.put(key, { buffer: Buffer.from('a') });
      await store.put(kept, { buffer: Buffer.from('b') });
      await store.delete(key);
      expect(await store.exists(key)).toBe(false);
      expect(await store.exists(kept)).toBe(true);
      await expect(store.delete(key)).resolves.toBeUndefined();
      await expect(store.delete(takeKey(user, video, 9))).resolves.toBeUndefined();
      expect(await store.list(videoPrefix(user, video))).toEqual([kept]);
    });

    it('lists every key under a prefix, sorted, and none of a sibling prefix', async () => {
      const sibling = randomUUID();
      const mine = [
        takeKey(user, video, 2),
        chunkKey(user, video, 0, 1, 1),
        storyboardKey(user, video, 0),
        chunkKey(user, video, 0, 1, 0),
        finalKey(user, video),
        `${videoPrefix(user, video)}deeper/nested/x.bin`,
      ];
      const others = [finalKey(user, sibling), storyboardKey(user, sibling, 0), assetKey(user, randomUUID(), 'a.png')];
      for (const key of [...mine, ...others]) await store.put(key, { buffer: Buffer.from(key) });
      const listed = await store.list(videoPrefix(user, video));
      expect(listed).toEqual([...mine].sort());
      expect(await store.list(`${user}/videos/`)).toEqual([...mine, ...others.slice(0, 2)].sort());
      expect(await store.list(videoPrefix(user, randomUUID()))).toEqual([]);
    });

    it('lists objects with their stored sizes, in the order list gives their keys', async () => {
      const sizes = new Map([
        [chunkKey(user, video, 0, 1, 0), 70_001],
        [finalKey(user, video), 0],
        [storyboardKey(user, video, 3), 12],
        [takeKey(user, video, 1), 6 * MIB + 5],
      ]);
      for (const [key, size] of sizes) await store.put(key, { buffer: randomBytes(size) });
      await store.put(finalKey(user, randomUUID()), { buffer: randomBytes(9) });
      const objects = await store.listObjects(videoPrefix(user, video));
      expect(objects.map((object) => object.key)).toEqual(await store.list(videoPrefix(user, video)));
      expect(objects).toEqual(
        [...sizes].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, sizeBytes]) => ({ key, sizeBytes })),
      );
      await store.delete(finalKey(user, video));
      expect((await store.listObjects(videoPrefix(user, video))).map((object) => object.key)).not.toContain(
        finalKey(user, video),
      );
    });

    it('lists by plain string prefix, as S3 does', async () => {
      const keys = [`${user}/p/a/1`, `${user}/p/ab/2`, `${user}/p/b/3`, `${user}/p/a`];
      for (const key of keys.slice(0, 3)) await store.put(key, { buffer: Buffer.from('x') });
      expect(await store.list(`${user}/p/a`)).toEqual([`${user}/p/a/1`, `${user}/p/ab/2`]);
      expect(await store.list(`${user}/p/a/`)).toEqual([`${user}/p/a/1`]);
    });

    it('throws BlobNotFoundError naming the key for get and getStream of a missing key, writing nothing', async () => {
      const key = finalKey(user, video);
      const dest = join(work, 'kept.mp4');
      await writeFile(dest, 'previous');
      for (const attempt of [() => store.get(key, { file: dest }), () => store.getStream(key)]) {
        const error = await rejection(attempt());
        expect(error).toBeInstanceOf(BlobNotFoundError);
        expect((error as BlobNotFoundError).key).toBe(key);
        expect((error as Error).message).toContain(key);
      }
      expect(await readFile(dest, 'utf8')).toBe('previous');
      expect(await readdir(work)).toEqual(['kept.mp4']);
    });

    it('removes its temp file when the destination cannot be replaced', async () => {
      const key = finalKey(user, video);
      await store.put(key, { buffer: Buffer.from('bytes') });
      const dest = join(work, 'a-directory');
      await mkdir(dest);
      await expect(store.get(key, { file: dest })).rejects.toThrow();
      expect(await readdir(work)).toEqual(['a-directory']);
      expect(await readdir(dest)).toEqual([]);
    });

    it('refuses URL lifetimes above 7 days, zero, negative or fractional', async () => {
      const key = finalKey(user, video);
      await store.put(key, { buffer: Buffer.from('x') });
      for (const ttl of [604_801, 0, -5, 1.5, Number.NaN]) {
        const error = await rejection(store.url(key, ttl));
        expect(error).toBeInstanceOf(UserError);
        expect((error as UserError).code).toBe('invalid_presign_ttl');
      }
      await expect(store.url(key, 604_800)).resolves.toMatch(/^(file|https?):/);
    });

    it('refuses invalid keys in every method and leaves the store unchanged', async () => {
      const key = storyboardKey(user, video, 0);
      await store.put(key, { buffer: Buffer.from('keep me') });
      const before = await harness.snapshot();
      const dest = join(work, 'dest.bin');
      for (const bad of BAD_KEYS) {
        const attempts: Array<[string, () => Promise<unknown>]> = [
          ['put', () => store.put(bad, { buffer: Buffer.from('evil') })],
          ['put stream', () => store.put(bad, { stream: Readable.from([Buffer.from('evil')]) })],
          ['get', () => store.get(bad, { file: dest })],
          ['getStream', () => store.getStream(bad)],
          ['exists', () => store.exists(bad)],
          ['delete', () => store.delete(bad)],
          ['list', () => store.list(bad)],
          ['listObjects', () => store.listObjects(bad)],
          ['url', () => store.url(bad)],
        ];
        for (const [method, attempt] of attempts) {
          const error = await rejection(attempt());
          expect(error, `${method}(${JSON.stringify(bad)})`).toBeInstanceOf(UserError);
          expect((error as UserError).code, `${method}(${JSON.stringify(bad)})`).toBe('invalid_storage_key');
        }
      }
      expect(await harness.snapshot()).toEqual(before);
      expect(await readdir(work)).toEqual([]);
      expect((await readAll(await store.getStream(key))).toString()).toBe('keep me');
    });

    it.each([
      ['before the first part fills', [randomBytes(1000)]],
      ['after a multipart-sized run of data', Array.from({ length: 7 }, () => randomBytes(MIB))],
    ])('leaves no object when the source stream fails %s', async (_when, chunks) => {
      const key = finalKey(user, video);
      const kept = takeKey(user, video, 1);
      await store.put(kept, { buffer: Buffer.from('kept') });
      const before = await harness.snapshot();
      const boom = new Error('render process died');
      const error = await rejection(store.put(key, { stream: Readable.from(failingAfter(chunks, boom)) }));
      expect(error).toBe(boom);
      expect(await store.exists(key)).toBe(false);
      expect(await store.list(videoPrefix(user, video))).toEqual([kept]);
      expect(await harness.snapshot()).toEqual(before);
    });

    it('keeps the previous object when a replacing put fails midway', async () => {
      const key = finalKey(user, video);
      await store.put(key, { buffer: Buffer.from('good take') });
      const boom = new Error('upload source failed');
      await expect(store.put(key, { stream: Readable.from(failingAfter([randomBytes(4096)], boom)) })).rejects.toBe(
        boom,
      );
      expect((await readAll(await store.getStream(key))).toString()).toBe('good take');
    });

    it('fails a put from a missing source file and stores nothing', async () => {
      const key = finalKey(user, video);
      const before = await harness.snapshot();
      const error = await rejection(store.put(key, { file: join(work, 'no-such-render.mp4') }));
      expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
      expect(await store.exists(key)).toBe(false);
      expect(await harness.snapshot()).toEqual(before);
    });
  });
}
