import { randomUUID } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectTaggingCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPredictionIntent } from '../../../src/db/predictions.js';
import { ProviderError } from '../../../src/errors.js';
import { createLogger } from '../../../src/log.js';
import { createAnimaticProviders } from '../../../src/providers/animatic/index.js';
import type { Providers } from '../../../src/providers/types.js';
import { createStorageAdmin, type StorageAdmin } from '../../../src/service/storage-admin.js';
import type { Owner, VideoView } from '../../../src/service/types.js';
import type { StoredObject } from '../../../src/storage/blob-store.js';
import { predictionOutputKey, sceneVersionKey } from '../../../src/storage/keys.js';
import { classifyKey } from '../../../src/storage/lifecycle/key-layout.js';
import { STORAGE_CATEGORIES } from '../../../src/storage/lifecycle/usage.js';
import { createS3BlobStore } from '../../../src/storage/s3.js';
import { makeImage } from '../../assets/image-fixtures.js';
import { createTestStack, type TestStack } from '../../helpers/pipeline.js';
import { type RunningS3rver, S3RVER_CREDENTIALS, startS3rver } from '../s3-server.js';

const HOUR_MS = 3_600_000;
const KEEP_HOURS = 24;
const owner: Owner = { platform: 'discord', platformUserId: 'lifecycle-owner' };

/** The animatic, except that the second chunk call after `failSecondChunkOfNextCall()` fails for good. */
function breakableProviders(): { providers: Providers; failSecondChunkOfNextCall(): void } {
  const inner = createAnimaticProviders();
  let countdown: number | undefined;
  return {
    providers: {
      ...inner,
      video: {
        name: inner.video.name,
        generateClip: async (req, ctx) => {
          if (countdown !== undefined && countdown-- <= 0) {
            countdown = undefined;
            throw new ProviderError('replicate', 'the model fell over', { retryable: false });
          }
          return inner.video.generateClip(req, ctx);
        },
      },
    },
    failSecondChunkOfNextCall: () => {
      countdown = 1;
    },
  };
}

type Backend = { name: string; s3: boolean };
const BACKENDS: Backend[] = [
  { name: 'local files', s3: false },
  { name: 'S3 (s3rver)', s3: true },
];

describe.each(BACKENDS)('storage lifecycle on $name', ({ s3 }) => {
  let server: RunningS3rver | undefined;
  let s3Admin: S3Client | undefined;
  const bucket = `reelsmith-lifecycle-${randomUUID().slice(0, 8)}`;
  let stack: TestStack;
  let admin: StorageAdmin;
  let userId: string;
  let videoId: string;
  /** The uploaded file and the thumbnail stored beside it. */
  let assetKeys: string[];
  let seeded: { superseded: string; current: string; storyboard: string };
  let before: StoredObject[];

  /** What the backend holds under `prefix`, read without the BlobStore. */
  async function rawObjects(prefix: string): Promise<StoredObject[]> {
    if (s3Admin) {
      const objects: StoredObject[] = [];
      let token: string | undefined;
      do {
        const page: ListObjectsV2CommandOutput = await s3Admin.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }),
        );
        for (const o of page.Contents ?? []) objects.push({ key: o.Key ?? '', sizeBytes: o.Size ?? 0 });
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return objects.sort((a, b) => (a.key < b.key ? -1 : 1));
    }
    const root = join(stack.dataDir, 'storage');
    const entries = await readdir(join(root, prefix), { recursive: true, withFileTypes: true }).catch(() => []);
    const objects: StoredObject[] = [];
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      objects.push({ key: path.slice(root.length + 1), sizeBytes: (await stat(path)).size });
    }
    return objects.sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  const keysOf = (objects: StoredObject[]) => objects.map((object) => object.key);
  const later = (hours: number) => new Date(Date.now() + hours * HOUR_MS);
  const videoKeys = async () => keysOf(await rawObjects(`${userId}/videos/${videoId}/`));

  beforeAll(async () => {
    if (s3) {
      server = await startS3rver();
      s3Admin = new S3Client({
        region: 'us-east-1',
        endpoint: server.endpoint,
        forcePathStyle: true,
        credentials: S3RVER_CREDENTIALS,
      });
      await s3Admin.send(new CreateBucketCommand({ Bucket: bucket }));
    }
    const breakable = breakableProviders();
    const settings = {
      bucket,
      region: 'us-east-1',
      endpoint: server?.endpoint ?? '',
      forcePathStyle: true,
      accessKeyId: S3RVER_CREDENTIALS.accessKeyId,
      secretAccessKey: S3RVER_CREDENTIALS.secretAccessKey,
      presignTtlS: 900,
    };
    stack = await createTestStack({
      providers: breakable.providers,
      ...(s3
        ? {
            storage: async () =>
              createS3BlobStore({
                bucket,
                region: 'us-east-1',
                endpoint: settings.endpoint,
                forcePathStyle: true,
                credentials: S3RVER_CREDENTIALS,
                presignTtlS: 900,
              }),
          }
        : {}),
    });
    admin = createStorageAdmin({
      db: stack.database.db,
      storage: stack.storage,
      log: createLogger({ level: 'silent' }),
      keepIntermediatesHours: KEEP_HOURS,
      s3: s3 ? settings : undefined,
    });
    const image = makeImage(join(stack.dataDir, 'logo.png'), 64, 64);
    const asset = await stack.service.addAsset(owner, { bytes: image, filename: 'logo.png' }, 'image');
    const created = await stack.service.create(owner, {
      prompt: 'a wooden toy train on a kitchen table',
      durationS: 10,
      model: 'tiny',
    });
    videoId = created.videoId;
    await stack.service.settled(videoId);
    const row = await stack.database.db
      .selectFrom('videos')
      .select('user_id')
      .where('id', '=', videoId)
      .executeTakeFirstOrThrow();
    userId = row.user_id;
    assetKeys = keysOf(await rawObjects(`${userId}/assets/${asset.assetId}/`));
    expect(assetKeys.some((key) => key.endsWith('/_thumb.jpg'))).toBe(true);
    expect(assetKeys).toHaveLength(2);
    // Scene 1 gets version 2 (version 1 is superseded); scene 2's version 2 fails after its first chunk.
    await stack.service.regenerateScene(owner, videoId, 1, { prompt: 'the train crossing a paper bridge' });
    await stack.service.settled(videoId);
    breakable.failSecondChunkOfNextCall();
    await stack.service.regenerateScene(owner, videoId, 2);
    await stack.service.settled(videoId);
    // Copies of provider outputs as the Replicate provider stores them, one per kind of step.
    const copy = async (stepKey: string) => {
      const prediction = await insertPredictionIntent(stack.database.db, {
        provider: 'replicate',
        model: 'test/tiny-video',
        step_key: stepKey,
        input_hash: randomUUID(),
        input: {},
        video_id: videoId,
      });
      const key = predictionOutputKey(userId, videoId, prediction.id, 0, 'mp4');
      await stack.storage.put(key, { buffer: Buffer.from(`output of ${stepKey}`) });
      return key;
    };
    seeded = {
      superseded: await copy(`${videoId}.chunk.0.1.1`),
      current: await copy(`${videoId}.chunk.0.2.0`),
      storyboard: await copy(`${videoId}.storyboard.0`),
    };
    before = await rawObjects(`${userId}/`);
  }, 240_000);

  afterAll(async () => {
    await stack?.close();
    s3Admin?.destroy();
    await server?.close();
  });

  /** What the sweep must remove: scene 1 v1's and scene 2 v2's chunks and last frames, and v1's output copy. */
  function expectedDoomed(): string[] {
    return keysOf(before)
      .filter((key) => {
        const layout = classifyKey(key);
        if (layout.kind !== 'chunk' && layout.kind !== 'chunk_last_frame') return false;
        return (layout.scene === 0 && layout.version === 1) || (layout.scene === 1 && layout.version === 2);
      })
      .concat(seeded.superseded)
      .sort();
  }

  it('starts from a superseded version, a failed one with a chunk, and both current clips', async () => {
    const view: VideoView = await stack.service.get(owner, videoId);
    expect(view.status).toBe('ready');
    expect(view.scenes.map((scene) => [scene.currentVersion, scene.versions.map((v) => v.status)])).toEqual([
      [2, ['succeeded', 'succeeded']],
      [1, ['succeeded', 'failed']],
    ]);
    const doomed = expectedDoomed();
    // Scene 1 v1: 2 chunks + 2 last frames; scene 2 v2: the chunk before the failure and its last frame; a copy.
    expect(doomed).toHaveLength(4 + 2 + 1);
  });

  it('keeps every intermediate while the versions are younger than KEEP_INTERMEDIATES_HOURS', async () => {
    const report = await admin.sweep({ now: later(KEEP_HOURS - 1) });
    expect(report).toMatchObject({ objects: 0, keys: [] });
    expect(keysOf(await rawObjects(`${userId}/`))).toEqual(keysOf(before));
  });

  it('lists what would go on a dry run and removes nothing', async () => {
    const report = await admin.sweep({ now: later(KEEP_HOURS + 1), dryRun: true });
    expect(report.dryRun).toBe(true);
    expect([...report.keys].sort()).toEqual(expectedDoomed());
    expect(keysOf(await rawObjects(`${userId}/`))).toEqual(keysOf(before));
  });

  it('removes only the superseded and failed versions’ intermediates once the wait has passed', async () => {
    const doomed = expectedDoomed();
    const report = await admin.sweep({ now: later(KEEP_HOURS + 1) });
    expect([...report.keys].sort()).toEqual(doomed);
    expect(report.objects).toBe(doomed.length);
    const sizes = new Map(before.map((object) => [object.key, object.sizeBytes]));
    expect(report.bytes).toBe(doomed.reduce((sum, key) => sum + (sizes.get(key) ?? 0), 0));
    const after = await videoKeys();
    expect(after).toEqual(keysOf(before).filter((key) => key.startsWith(`${userId}/videos/`) && !doomed.includes(key)));
    const kinds = after.map((key) => classifyKey(key));
    // Finals, takes, music, every assembled clip, storyboards, the current versions' chunks and other copies stay.
    expect(after).toEqual(
      expect.arrayContaining([
        sceneVersionKey(userId, videoId, 0, 1),
        sceneVersionKey(userId, videoId, 0, 2),
        sceneVersionKey(userId, videoId, 1, 1),
        seeded.current,
        seeded.storyboard,
      ]),
    );
    for (const kind of ['final', 'take', 'music', 'storyboard', 'contact_sheet'] as const) {
      expect(
        kinds.some((layout) => layout.kind === kind),
        kind,
      ).toBe(true);
    }
    const chunksLeft = kinds.flatMap((layout) =>
      layout.kind === 'chunk' ? [`${layout.scene}.v${layout.version}.${layout.chunk}`] : [],
    );
    expect(chunksLeft.sort()).toEqual(['0.v2.0', '0.v2.1', '1.v1.0', '1.v1.1']);
    expect(keysOf(await rawObjects(`${userId}/assets/`))).toEqual(assetKeys);
    expect((await admin.sweep({ now: later(KEEP_HOURS + 2) })).objects).toBe(0);
  });

  it('still re-stitches the video from its current clips', async () => {
    await stack.service.restitch(owner, videoId);
    await stack.service.settled(videoId);
    const view = await stack.service.get(owner, videoId);
    expect(view.status).toBe('ready');
    expect(view.take?.number).toBe(3);
    expect(view.take?.durationS).toBeCloseTo(10, 1);
    expect(await stack.storage.exists(`${userId}/videos/${videoId}/take_03.mp4`)).toBe(true);
  });

  it('reports usage that equals what the backend stores, by category', async () => {
    const usage = await admin.usage(owner);
    const raw = await rawObjects(`${userId}/`);
    expect(usage.userId).toBe(userId);
    expect(usage.backend).toBe(s3 ? 's3' : 'local');
    expect(usage.objects).toBe(raw.length);
    expect(usage.bytes).toBe(raw.reduce((sum, object) => sum + object.sizeBytes, 0));
    const sumOf = (keys: (key: string) => boolean) => {
      const matching = raw.filter((object) => keys(object.key));
      return { objects: matching.length, bytes: matching.reduce((sum, object) => sum + object.sizeBytes, 0) };
    };
    const kind = (key: string) => classifyKey(key).kind;
    const current = new Set([sceneVersionKey(userId, videoId, 0, 2), sceneVersionKey(userId, videoId, 1, 1)]);
    expect(usage.categories).toEqual({
      final: sumOf((key) => ['final', 'take', 'music'].includes(kind(key))),
      current_clip: sumOf((key) => current.has(key)),
      earlier_clip: sumOf((key) => key === sceneVersionKey(userId, videoId, 0, 1)),
      storyboard: sumOf((key) => ['storyboard', 'contact_sheet'].includes(kind(key))),
      asset: sumOf((key) => assetKeys.includes(key)),
      intermediate: sumOf((key) => ['chunk', 'chunk_last_frame', 'prediction_output'].includes(kind(key))),
      other: { objects: 0, bytes: 0 },
    });
    expect(Object.keys(usage.categories)).toEqual([...STORAGE_CATEGORIES]);
    expect(usage.categories.final.objects).toBe(3 + 1 + 1);
    expect(usage.categories.intermediate.objects).toBe(4 + 4 + 2);
  });

  it('reports nothing for a user it has never seen', async () => {
    const usage = await admin.usage({ platform: 'slack', platformUserId: 'U-never-seen' });
    expect(usage).toMatchObject({ userId: null, objects: 0, bytes: 0 });
    expect(usage.categories.final).toEqual({ objects: 0, bytes: 0 });
  });

  // Tags exist only on S3: the test is registered for that backend alone (not counted as skipped elsewhere).
  if (s3)
    it('writes intermediates with the lifecycle tag, and nothing else with it', async () => {
      const tagsOf = async (key: string) =>
        (await s3Admin?.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key })))?.TagSet ?? [];
      const keys = await videoKeys();
      const intermediates = keys.filter((key) =>
        ['chunk', 'chunk_last_frame', 'prediction_output'].includes(classifyKey(key).kind),
      );
      expect(intermediates.length).toBeGreaterThan(0);
      for (const key of intermediates) {
        expect(await tagsOf(key), key).toEqual([{ Key: 'reelsmith-lifecycle', Value: 'intermediate' }]);
      }
      for (const key of [...keys.filter((key) => !intermediates.includes(key)), ...assetKeys]) {
        expect(await tagsOf(key), key).toEqual([]);
      }
    });
});
