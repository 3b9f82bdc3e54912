import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { imageSize } from 'image-size';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeAsset, storeAssetFromSource } from '../../src/assets/add-asset.js';
import type { FetchRemoteFileOptions } from '../../src/assets/fetch-remote.js';
import type { BlobStore } from '../../src/storage/index.js';
import { createLocalBlobStore } from '../../src/storage/index.js';
import { createUser } from '../helpers/db-fixtures.js';
import { createMemoryDatabase, type MemoryDatabase } from '../helpers/pglite.js';
import { ffmpegSync, makeWorkDir } from '../media/fixtures.js';
import {
  makeCertificate,
  onlyLoopbackServer,
  startHttpsServer,
  type TestCertificate,
  type TestHttpsServer,
  tableLookup,
} from './https-fixture.js';
import {
  MARKER,
  makeImage,
  pngHeaderOnly,
  rgbAt,
  withJpegMetadata,
  withJpegOrientation,
  withPngMetadata,
  withWebpMetadata,
} from './image-fixtures.js';

const MiB = 1024 * 1024;

describe('storing assets from uploads and links', () => {
  const work = makeWorkDir();
  let database: MemoryDatabase;
  let storage: BlobStore;
  let userId: string;
  let certificate: TestCertificate;
  let server: TestHttpsServer;
  const files = new Map<string, { body: Buffer; type: string }>();
  const hugeWritten = { bytes: 0 };

  beforeAll(async () => {
    database = await createMemoryDatabase();
    storage = createLocalBlobStore({ rootDir: work.path('store') });
    userId = (await createUser(database.db)).id;
    certificate = makeCertificate();
    server = await startHttpsServer(certificate, (req, res) => {
      if (req.url === '/huge.png') {
        res.writeHead(200, { 'content-type': 'image/png' });
        const chunk = Buffer.alloc(256 * 1024, 1);
        const pump = (): void => {
          while (!res.destroyed && hugeWritten.bytes < 60 * MiB) {
            hugeWritten.bytes += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          if (!res.destroyed) res.end();
        };
        pump();
        return;
      }
      const file = files.get(req.url ?? '');
      res.writeHead(file ? 200 : 404, { 'content-type': file?.type ?? 'text/plain' });
      res.end(file?.body);
    });
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
    work.remove();
  });

  const fetchSeams = (): Omit<FetchRemoteFileOptions, 'maxBytes' | 'signal'> => ({
    lookup: tableLookup({ 'images.test': '127.0.0.1' }).lookup,
    isAllowedAddress: onlyLoopbackServer,
    ca: certificate.cert,
  });
  const link = (path: string) => ({ url: `https://images.test:${server.port}${path}` });
  const deps = () => ({ db: database.db, storage });

  async function snapshot() {
    const rows = await database.db.selectFrom('assets').select('id').execute();
    return { rows: rows.length, blobs: await storage.list(`${userId}/`) };
  }

  async function storedBytes(assetId: string): Promise<Buffer> {
    const row = await database.db.selectFrom('assets').selectAll().where('id', '=', assetId).executeTakeFirstOrThrow();
    const out = work.path(`${assetId}.bin`);
    await storage.get(row.storage_key, { file: out });
    const bytes = await readFile(out);
    expect(row.size_bytes).toBe(bytes.length);
    expect(row.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    return bytes;
  }

  it.each([
    ['png', 'png', withPngMetadata],
    ['jpeg', 'jpg', withJpegMetadata],
    ['webp', 'webp', (bytes: Buffer) => withWebpMetadata(bytes, 96, 64)],
  ] as const)('strips EXIF, XMP and text metadata from an uploaded %s and keeps its size', async (type, ext, plant) => {
    const bytes = plant(makeImage(work.path(`plain.${ext}`), 96, 64));
    expect(bytes.includes(MARKER)).toBe(true);
    const asset = await storeAsset(deps(), userId, { bytes, filename: `holiday.${ext}` }, 'image');
    expect(asset).toMatchObject({ kind: 'image', mimeType: `image/${type}`, width: 96, height: 64 });
    const stored = await storedBytes(asset.assetId);
    expect(stored.includes(MARKER)).toBe(false);
    expect(stored.includes('Exif')).toBe(false);
    expect(imageSize(stored)).toMatchObject({ width: 96, height: 64 });
  });

  it('turns a JPEG with EXIF orientation 6 upright, since the tag that rotated it is gone', async () => {
    const source = work.path('halves.jpg');
    ffmpegSync(['-f', 'lavfi', '-i', 'color=red:s=32x48,pad=64:48:0:0:blue', '-frames:v', '1', source]);
    const bytes = withJpegOrientation(await readFile(source), 6);
    const asset = await storeAsset(deps(), userId, { bytes, filename: 'portrait.jpg' }, 'image');
    expect(asset).toMatchObject({ width: 48, height: 64 });
    const out = work.path('upright.jpg');
    await writeFile(out, await storedBytes(asset.assetId));
    const [topR, , topB] = rgbAt(out, 48, 24, 8);
    const [bottomR, , bottomB] = rgbAt(out, 48, 24, 56);
    expect(topR).toBeGreaterThan(200);
    expect(topB).toBeLessThan(60);
    expect(bottomB).toBeGreaterThan(200);
    expect(bottomR).toBeLessThan(60);
  });

  it('downloads a linked image, names it from the URL and strips its metadata', async () => {
    files.set('/shots/Beach%20Day.png', {
      body: withPngMetadata(makeImage(work.path('beach.png'), 80, 40)),
      type: 'image/png',
    });
    const asset = await storeAssetFromSource(deps(), userId, link('/shots/Beach%20Day.png'), 'image', {
      fetch: fetchSeams(),
    });
    expect(asset).toMatchObject({ filename: 'Beach_Day.png', mimeType: 'image/png', width: 80, height: 40 });
    expect((await storedBytes(asset.assetId)).includes(MARKER)).toBe(false);
  });

  it('downloads linked audio and records its length', async () => {
    const mp3 = work.path('tone.mp3');
    ffmpegSync(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'libmp3lame', mp3]);
    files.set('/music/tone.mp3', { body: await readFile(mp3), type: 'audio/mpeg' });
    const asset = await storeAssetFromSource(deps(), userId, link('/music/tone.mp3'), 'audio', { fetch: fetchSeams() });
    expect(asset).toMatchObject({ kind: 'audio', mimeType: 'audio/mpeg', filename: 'tone.mp3' });
    expect(asset.durationS).toBeGreaterThan(0.9);
  });

  describe('refuses bad input and stores nothing', () => {
    async function expectRefused(attempt: () => Promise<unknown>, code: string, text?: string) {
      const before = await snapshot();
      const error = await attempt().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({ name: 'UserError', code });
      if (text) expect((error as Error).message).toContain(text);
      expect(await snapshot()).toEqual(before);
    }

    it('an SVG, uploaded or linked', async () => {
      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
      files.set('/logo.svg', { body: svg, type: 'image/svg+xml' });
      await expectRefused(
        () => storeAssetFromSource(deps(), userId, { bytes: svg, filename: 'logo.svg' }, 'image'),
        'unsupported_image',
        'logo.svg',
      );
      await expectRefused(
        () => storeAssetFromSource(deps(), userId, link('/logo.svg'), 'image', { fetch: fetchSeams() }),
        'unsupported_image',
        `https://images.test:${server.port}/logo.svg`,
      );
    });

    it('a 60 MiB image upload', async () => {
      const png = makeImage(work.path('small.png'), 16, 16);
      const bytes = Buffer.concat([png, Buffer.alloc(60 * MiB - png.length)]);
      await expectRefused(
        () => storeAsset(deps(), userId, { bytes, filename: 'huge.png' }, 'image'),
        'image_too_large',
        '60.0 MiB',
      );
    });

    it('a 60 MiB linked image, cut off at the 10 MiB cap with the connection closed', async () => {
      await expectRefused(
        () => storeAssetFromSource(deps(), userId, link('/huge.png'), 'image', { fetch: fetchSeams() }),
        'file_too_large',
        '10 MiB',
      );
      await server.requests.at(-1)?.closed;
      expect(hugeWritten.bytes).toBeLessThan(40 * MiB);
    });

    it('a PNG whose header claims 20000×20000 px, before anything decodes it', async () => {
      await expectRefused(
        () => storeAsset(deps(), userId, { bytes: pngHeaderOnly(20000, 20000), filename: 'bomb.png' }, 'image'),
        'image_too_many_pixels',
        '20000×20000',
      );
    });

    it('an "mp3" that is a text file, and one that is an HLS playlist', async () => {
      const text = Buffer.from('these are my lyrics, not a song\n'.repeat(20));
      await expectRefused(
        () => storeAsset(deps(), userId, { bytes: text, filename: 'song.mp3' }, 'audio'),
        'invalid_audio',
        'song.mp3',
      );
      const playlist = Buffer.from(
        '#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nhttp://169.254.169.254/latest/meta-data\n#EXT-X-ENDLIST\n',
      );
      files.set('/list.mp3', { body: playlist, type: 'audio/mpeg' });
      await expectRefused(
        () => storeAssetFromSource(deps(), userId, link('/list.mp3'), 'audio', { fetch: fetchSeams() }),
        'invalid_audio',
      );
    });

    it('an image link that is plain http or points at a private address', async () => {
      await expectRefused(
        () => storeAssetFromSource(deps(), userId, { url: 'http://images.test/cat.png' }, 'image'),
        'url_not_https',
        'http://images.test/cat.png',
      );
      await expectRefused(
        () => storeAssetFromSource(deps(), userId, { url: 'https://169.254.169.254/latest/meta-data/' }, 'image'),
        'url_private_address',
      );
    });
  });
});
