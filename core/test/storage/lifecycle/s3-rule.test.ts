import { randomBytes, randomUUID } from 'node:crypto';
import {
  CreateBucketCommand,
  GetBucketLifecycleConfigurationCommand,
  GetObjectTaggingCommand,
  PutBucketLifecycleConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.js';
import { createStorageAdmin } from '../../../src/service/storage-admin.js';
import { chunkKey, finalKey } from '../../../src/storage/keys.js';
import { expirationDays, LIFECYCLE_RULE_ID } from '../../../src/storage/lifecycle/s3-rule.js';
import { createLocalBlobStore } from '../../../src/storage/local.js';
import { createS3BlobStore } from '../../../src/storage/s3.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { type RunningS3rver, S3RVER_CREDENTIALS, startS3rver } from '../s3-server.js';

const MIB = 1024 * 1024;
const log = createLogger({ level: 'silent' });

describe('the S3 lifecycle rule', () => {
  let server: RunningS3rver;
  let client: S3Client;
  let database: TestDatabase;

  beforeAll(async () => {
    server = await startS3rver();
    client = new S3Client({
      region: 'us-east-1',
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
    });
    database = await createTestDatabase();
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
    await database.drop();
  });

  async function bucketWithAdmin(keepIntermediatesHours: number, bucket?: string) {
    const name = bucket ?? `reelsmith-rule-${randomUUID().slice(0, 8)}`;
    if (!bucket) await client.send(new CreateBucketCommand({ Bucket: name }));
    const storage = createS3BlobStore({
      bucket: name,
      region: 'us-east-1',
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
      presignTtlS: 900,
      partSizeBytes: 5 * MIB,
    });
    const admin = createStorageAdmin({
      db: database.db,
      storage,
      log,
      keepIntermediatesHours,
      s3: {
        bucket: name,
        region: 'us-east-1',
        endpoint: server.endpoint,
        forcePathStyle: true,
        ...S3RVER_CREDENTIALS,
        presignTtlS: 900,
      },
      close: () => storage.close(),
    });
    return { bucket: name, storage, admin };
  }

  const rulesOn = async (bucket: string) =>
    (await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules ?? [];

  it('expires after KEEP_INTERMEDIATES_HOURS rounded up to whole days, at least one', () => {
    expect([0, 1, 23, 24, 25, 48, 49, 168].map(expirationDays)).toEqual([1, 1, 1, 1, 2, 2, 3, 7]);
  });

  it('prints the rule without touching the bucket', async () => {
    const { bucket, admin } = await bucketWithAdmin(36);
    expect(await admin.lifecycleRule()).toEqual({
      bucket,
      keepIntermediatesHours: 36,
      expirationDays: 2,
      tag: { key: 'reelsmith-lifecycle', value: 'intermediate' },
      rule: {
        ID: LIFECYCLE_RULE_ID,
        Status: 'Enabled',
        Filter: { Tag: { Key: 'reelsmith-lifecycle', Value: 'intermediate' } },
        Expiration: { Days: 2 },
      },
    });
    await expect(client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).rejects.toMatchObject({
      name: 'NoSuchLifecycleConfiguration',
    });
    await admin.close();
  });

  it('puts the rule on the bucket, keeping the rules already there, and replaces only its own on a second run', async () => {
    const { bucket, admin } = await bucketWithAdmin(24);
    const operatorRule = {
      ID: 'operator-logs',
      Status: 'Enabled' as const,
      Filter: { Prefix: 'logs/' },
      Expiration: { Days: 30 },
    };
    await client.send(
      new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: [operatorRule] } }),
    );
    const applied = await admin.applyLifecycleRule();
    expect(applied.replaced).toBe(false);
    const ours = {
      ID: LIFECYCLE_RULE_ID,
      Status: 'Enabled',
      Filter: { Tag: { Key: 'reelsmith-lifecycle', Value: 'intermediate' } },
      Expiration: { Days: 1 },
    };
    expect(await rulesOn(bucket)).toEqual([operatorRule, ours]);
    expect(applied.rules).toEqual([operatorRule, ours]);
    await admin.close();

    const { admin: later } = await bucketWithAdmin(72, bucket);
    expect((await later.applyLifecycleRule()).replaced).toBe(true);
    expect(await rulesOn(bucket)).toEqual([operatorRule, { ...ours, Expiration: { Days: 3 } }]);
    await later.close();
  });

  it('tags intermediates written in several parts, and leaves finals untagged', async () => {
    const { bucket, storage } = await bucketWithAdmin(24);
    const user = randomUUID();
    const video = randomUUID();
    const big = randomBytes(11 * MIB);
    const tagsOf = async (key: string) =>
      (await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }))).TagSet ?? [];
    await storage.put(chunkKey(user, video, 0, 1, 0), { buffer: big });
    await storage.put(finalKey(user, video), { buffer: big });
    expect(await tagsOf(chunkKey(user, video, 0, 1, 0))).toEqual([
      { Key: 'reelsmith-lifecycle', Value: 'intermediate' },
    ]);
    expect(await tagsOf(finalKey(user, video))).toEqual([]);
    await storage.close();
  });

  it('is refused with local storage, saying why', async () => {
    const storage = createLocalBlobStore({ rootDir: `/tmp/reelsmith-unused-${randomUUID()}` });
    const admin = createStorageAdmin({ db: database.db, storage, log, keepIntermediatesHours: 24, s3: undefined });
    for (const attempt of [() => admin.lifecycleRule(), () => admin.applyLifecycleRule()]) {
      await expect(attempt()).rejects.toMatchObject({
        name: 'UserError',
        code: 'lifecycle_needs_s3',
        message: expect.stringMatching(/S3_BUCKET is not set.*reelsmith storage sweep/),
      });
    }
  });
});
