import { randomBytes, randomUUID } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { CreateBucketCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError, UserError } from '../../src/errors.js';
import type { BlobStore, S3BlobStoreOptions } from '../../src/storage/index.js';
import {
  BlobNotFoundError,
  createS3BlobStore,
  finalKey,
  openBlobStore,
  storyboardKey,
} from '../../src/storage/index.js';
import { describeBlobStoreContract } from './blob-store-contract.js';
import { type RunningS3rver, S3RVER_CREDENTIALS, startS3rver } from './s3-server.js';

const MIB = 1024 * 1024;
let server: RunningS3rver;
let admin: S3Client;

beforeAll(async () => {
  server = await startS3rver();
  admin = new S3Client({
    region: 'us-east-1',
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
  });
});

afterAll(async () => {
  admin.destroy();
  await server.close();
});

async function createBucket(): Promise<string> {
  const bucket = `reelsmith-${randomUUID().slice(0, 8)}`;
  await admin.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

function storeOptions(bucket: string, overrides: Partial<S3BlobStoreOptions> = {}): S3BlobStoreOptions {
  return {
    bucket,
    region: 'us-east-1',
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    presignTtlS: 900,
    partSizeBytes: 5 * MIB,
    ...overrides,
  };
}

async function rawKeys(bucket: string): Promise<string[]> {
  const page = await admin.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (page.Contents ?? []).map((object) => object.Key ?? '').sort();
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describeBlobStoreContract('s3 via s3rver', async () => {
  const bucket = await createBucket();
  const store = createS3BlobStore(storeOptions(bucket));
  return { store, snapshot: () => rawKeys(bucket), dispose: () => store.close() };
});

describe('s3 BlobStore', () => {
  const user = randomUUID();
  const video = randomUUID();
  const stores: BlobStore[] = [];

  function track(store: BlobStore): BlobStore {
    stores.push(store);
    return store;
  }

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  it('presigns a GET URL that plain fetch downloads byte-for-byte, with X-Amz-Expires = ttl', async () => {
    const store = track(createS3BlobStore(storeOptions(await createBucket())));
    const bytes = randomBytes(50_000);
    const key = finalKey(user, video);
    await store.put(key, { buffer: bytes });

    const url = new URL(await store.url(key, 120));
    expect(url.protocol).toBe('http:');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('120');
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    expect(response.headers.get('content-type')).toBe('video/mp4');

    expect(new URL(await store.url(key)).searchParams.get('X-Amz-Expires')).toBe('900');
  });

  it('records an explicit content type over the one inferred from the key', async () => {
    const bucket = await createBucket();
    const store = track(createS3BlobStore(storeOptions(bucket)));
    const key = storyboardKey(user, video, 0);
    await store.put(key, { buffer: Buffer.from('x') }, { contentType: 'image/webp' });
    const head = await admin.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head.ContentType).toBe('image/webp');
  });

  it('caps URL lifetimes at maxPresignTtlS and refuses bad lifetimes in its options', async () => {
    const store = track(createS3BlobStore(storeOptions(await createBucket(), { maxPresignTtlS: 3600 })));
    const key = finalKey(user, video);
    expect(new URL(await store.url(key, 3600)).searchParams.get('X-Amz-Expires')).toBe('3600');
    await expect(store.url(key, 3601)).rejects.toMatchObject({ code: 'invalid_presign_ttl' });
    for (const overrides of [{ presignTtlS: 604_801 }, { presignTtlS: 0 }, { maxPresignTtlS: 700_000 }]) {
      expect(() => createS3BlobStore(storeOptions('b', overrides))).toThrow(
        expect.objectContaining({ code: 'invalid_presign_ttl' }),
      );
    }
    expect(() => createS3BlobStore(storeOptions('b', { partSizeBytes: 1024 }))).toThrow(UserError);
  });

  it('reports a missing bucket as a non-retryable ProviderError, not as a missing object', async () => {
    const store = track(createS3BlobStore(storeOptions('no-such-bucket')));
    const key = finalKey(user, video);
    const attempts = [
      () => store.put(key, { buffer: Buffer.from('x') }),
      () => store.getStream(key),
      () => store.list(`${user}/`),
    ];
    for (const attempt of attempts) {
      const error = await rejection(attempt());
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).not.toBeInstanceOf(BlobNotFoundError);
      expect(error).toMatchObject({ provider: 's3', status: 404, retryable: false });
      expect((error as Error).message).toContain('NoSuchBucket');
      expect((error as Error).cause).toBeInstanceOf(Error);
    }
  });

  it('reports refused credentials as a ProviderError with status 403', async () => {
    const bucket = await createBucket();
    const credentials = { accessKeyId: 'UNKNOWN', secretAccessKey: 'nope' };
    const store = track(createS3BlobStore(storeOptions(bucket, { credentials })));
    const error = await rejection(store.put(finalKey(user, video), { buffer: Buffer.from('x') }));
    expect(error).toMatchObject({ name: 'ProviderError', provider: 's3', status: 403, retryable: false });
    expect(await rawKeys(bucket)).toEqual([]);
  });

  it('reports an unreachable endpoint as a retryable ProviderError', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const store = track(createS3BlobStore(storeOptions('b', { endpoint: `http://127.0.0.1:${closedPort}` })));
    const error = await rejection(store.exists(finalKey(user, video)));
    expect(error).toMatchObject({ name: 'ProviderError', provider: 's3', status: undefined, retryable: true });
  });

  it('is what openBlobStore returns when s3 options are given', async () => {
    const bucket = await createBucket();
    const store = track(
      await openBlobStore({
        dataDir: '/nonexistent',
        s3: {
          bucket,
          region: 'us-east-1',
          endpoint: server.endpoint,
          forcePathStyle: true,
          ...S3RVER_CREDENTIALS,
          presignTtlS: 300,
        },
      }),
    );
    expect(store.backend).toBe('s3');
    const key = finalKey(user, video);
    await store.put(key, { buffer: Buffer.from('via config') });
    expect(await rawKeys(bucket)).toEqual([key]);
    expect(new URL(await store.url(key)).searchParams.get('X-Amz-Expires')).toBe('300');
  });

  it('openBlobStore refuses half a credential pair', async () => {
    const s3 = { bucket: 'b', region: 'us-east-1', forcePathStyle: true, presignTtlS: 300, accessKeyId: 'only-id' };
    await expect(openBlobStore({ dataDir: '/tmp', s3 })).rejects.toMatchObject({ code: 'invalid_storage_config' });
  });
});

describe('s3 BlobStore listing across pages', () => {
  // s3rver builds continuation tokens with DES, which OpenSSL 3 refuses, so paging is
  // exercised against a loopback server that answers ListObjectsV2 in S3's XML.
  const pages: string[][] = [['p/d', 'p/a'], ['p/c', 'p/b'], ['p/e']];
  const seen: URLSearchParams[] = [];
  const lister = createHttpServer((request, response) => {
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    seen.push(query);
    const index = Number(query.get('continuation-token')?.replace('page-', '') ?? '0');
    const keys = pages[index] ?? [];
    const last = index === pages.length - 1;
    response.setHeader('content-type', 'application/xml');
    response.end(
      `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
        `<Name>paged</Name><Prefix>${query.get('prefix')}</Prefix><KeyCount>${keys.length}</KeyCount>` +
        `<MaxKeys>2</MaxKeys><IsTruncated>${!last}</IsTruncated>` +
        (last ? '' : `<NextContinuationToken>page-${index + 1}</NextContinuationToken>`) +
        keys.map((key) => `<Contents><Key>${key}</Key><Size>1</Size></Contents>`).join('') +
        '</ListBucketResult>',
    );
  });

  beforeAll(() => new Promise<void>((resolve) => lister.listen(0, '127.0.0.1', resolve)));
  afterAll(() => new Promise<void>((resolve) => lister.close(() => resolve())));

  it('follows continuation tokens until the listing is complete and sorts the keys', async () => {
    const { port } = lister.address() as AddressInfo;
    const store = createS3BlobStore(storeOptions('paged', { endpoint: `http://127.0.0.1:${port}`, listPageSize: 2 }));
    try {
      expect(await store.list('p/')).toEqual(['p/a', 'p/b', 'p/c', 'p/d', 'p/e']);
    } finally {
      await store.close();
    }
    expect(seen.map((query) => query.get('continuation-token'))).toEqual([null, 'page-1', 'page-2']);
    expect(seen.every((query) => query.get('max-keys') === '2' && query.get('prefix') === 'p/')).toBe(true);
  });
});
