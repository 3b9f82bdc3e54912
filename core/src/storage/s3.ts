import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ProviderError, UserError } from '../errors.js';
import { writeStreamAtomically } from './atomic-file.js';
import type { BlobSource, BlobStore, PutOptions, PutResult, StoredObject } from './blob-store.js';
import { contentTypeForKey } from './content-type.js';
import { assertValidKey, assertValidPrefix } from './keys.js';
import { isIntermediateKey } from './lifecycle/key-layout.js';
import { LIFECYCLE_TAGGING } from './lifecycle/tag.js';
import { assertValidPresignTtl, MAX_PRESIGN_TTL_S } from './presign-ttl.js';
import { createS3Client, type S3ConnectionOptions } from './s3-client.js';
import { isMissingObject, toStorageError } from './s3-errors.js';

const MIB = 1024 * 1024;
const MIN_PART_BYTES = 5 * MIB;

export type S3BlobStoreOptions = S3ConnectionOptions & {
  /** Default lifetime of `url()`, in seconds. */
  presignTtlS: number;
  /** Upper bound for `url()` lifetimes, in seconds (≤ 604800, the default); keep it within the credentials' life. */
  maxPresignTtlS?: number;
  /** Multipart part size in bytes, ≥ 5 MiB (default 8 MiB). Bodies up to one part go in a single PUT. */
  partSizeBytes?: number;
  /** Keys per ListObjectsV2 page, 1..1000 (default 1000). */
  listPageSize?: number;
};

function invalidConfig(message: string, details: Record<string, unknown>): UserError {
  return new UserError('invalid_storage_config', message, { details });
}

async function* countBytes(
  source: Readable | NodeJS.ReadableStream,
  tally: { bytes: number; sourceError?: unknown },
): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of source) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
      tally.bytes += bytes.byteLength;
      yield bytes;
    }
  } catch (error) {
    tally.sourceError = error;
    throw error;
  }
}

/**
 * A BlobStore on S3 or an S3-compatible store (MinIO, s3rver). Uploads go through lib-storage `Upload`
 * (multipart above one part, aborted on error, so a failed put leaves no object); `url()` is a presigned GET.
 * Checksums are only sent/validated when the operation requires them (CONTRACTS.md "S3 / MinIO").
 * SDK failures become ProviderError('s3') with status and request id; a missing object becomes BlobNotFoundError.
 * Intermediate keys carry the lifecycle tag (`lifecycle/tag.ts`); the IAM policy must then allow s3:PutObjectTagging.
 */
export function createS3BlobStore(options: S3BlobStoreOptions): BlobStore {
  const { bucket } = options;
  const maxTtlS = options.maxPresignTtlS ?? MAX_PRESIGN_TTL_S;
  assertValidPresignTtl(maxTtlS, MAX_PRESIGN_TTL_S);
  const defaultTtlS = assertValidPresignTtl(options.presignTtlS, maxTtlS);
  const partSize = options.partSizeBytes ?? 8 * MIB;
  if (!Number.isSafeInteger(partSize) || partSize < MIN_PART_BYTES) {
    throw invalidConfig(`S3 part size must be a whole number of bytes ≥ ${MIN_PART_BYTES}, got ${partSize}`, {
      partSize,
    });
  }
  const pageSize = options.listPageSize ?? 1000;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
    throw invalidConfig(`S3 list page size must be 1..1000, got ${pageSize}`, { pageSize });
  }
  const client = createS3Client(options);

  async function bodyOf(source: BlobSource, tally: { bytes: number; sourceError?: unknown }) {
    if ('buffer' in source) {
      tally.bytes = source.buffer.byteLength;
      return source.buffer;
    }
    const stream = 'file' in source ? (await open(source.file, 'r')).createReadStream() : source.stream;
    return Readable.from(countBytes(stream, tally));
  }

  async function put(key: string, source: BlobSource, opts: PutOptions = {}): Promise<PutResult> {
    assertValidKey(key);
    const tally: { bytes: number; sourceError?: unknown } = { bytes: 0 };
    const body = await bodyOf(source, tally);
    const upload = new Upload({
      client,
      partSize,
      queueSize: 4,
      leavePartsOnError: false,
      params: {
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: opts.contentType ?? contentTypeForKey(key),
        // Sent with the PUT (or the multipart create), so the object never exists untagged.
        ...(isIntermediateKey(key) ? { Tagging: LIFECYCLE_TAGGING } : {}),
      },
    });
    try {
      await upload.done();
    } catch (error) {
      if (tally.sourceError !== undefined) throw tally.sourceError;
      throw toStorageError('PUT', key, error);
    }
    return { key, sizeBytes: tally.bytes };
  }

  async function getStream(key: string): Promise<Readable> {
    assertValidKey(key);
    let body: unknown;
    try {
      body = (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body;
    } catch (error) {
      throw toStorageError('GET', key, error, true);
    }
    if (!(body instanceof Readable)) throw new ProviderError('s3', `S3 GET of ${JSON.stringify(key)} returned no body`);
    return body;
  }

  async function get(key: string, dest: { file: string }): Promise<void> {
    await writeStreamAtomically(dest.file, await getStream(key));
  }

  async function exists(key: string): Promise<boolean> {
    assertValidKey(key);
    try {
      await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (error) {
      if (isMissingObject(error)) return false;
      throw toStorageError('HEAD', key, error);
    }
  }

  async function remove(key: string): Promise<void> {
    assertValidKey(key);
    try {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      if (!isMissingObject(error)) throw toStorageError('DELETE', key, error);
    }
  }

  async function listObjects(prefix: string): Promise<StoredObject[]> {
    assertValidPrefix(prefix);
    const objects: StoredObject[] = [];
    let continuationToken: string | undefined;
    do {
      const command = new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        MaxKeys: pageSize,
        ...(continuationToken !== undefined ? { ContinuationToken: continuationToken } : {}),
      });
      let page: ListObjectsV2CommandOutput;
      try {
        page = await client.send(command);
      } catch (error) {
        throw toStorageError('LIST', prefix, error);
      }
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined) objects.push({ key: object.Key, sizeBytes: object.Size ?? 0 });
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken !== undefined);
    return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async function list(prefix: string): Promise<string[]> {
    return (await listObjects(prefix)).map((object) => object.key);
  }

  async function url(key: string, ttlS?: number): Promise<string> {
    assertValidKey(key);
    const expiresIn = assertValidPresignTtl(ttlS ?? defaultTtlS, maxTtlS);
    try {
      return await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn });
    } catch (error) {
      throw toStorageError('presign', key, error);
    }
  }

  async function close(): Promise<void> {
    client.destroy();
  }

  return { backend: 's3', put, get, getStream, exists, delete: remove, list, listObjects, url, close };
}
