import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { BlobStore } from './blob-store.js';
import { createLocalBlobStore } from './local.js';
import type { S3ConnectionOptions } from './s3-client.js';

/** S3 settings as configuration holds them (config.ts `S3Config`, minus what only other parts read). */
export type S3StorageSettings = {
  bucket: string;
  region: string;
  endpoint?: string | undefined;
  forcePathStyle: boolean;
  /** Give both keys or neither (neither: the SDK's default credential chain). */
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  presignTtlS: number;
};

export type BlobStoreOptions = {
  dataDir: string;
  /** When present, objects go to S3; otherwise to `${dataDir}/storage`. */
  s3?: S3StorageSettings;
};

/**
 * How to reach the bucket of `s3` settings.
 * @throws UserError `invalid_storage_config` when only one of the two S3 keys is set.
 */
export function s3ConnectionOf(s3: S3StorageSettings): S3ConnectionOptions {
  const { accessKeyId, secretAccessKey } = s3;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new UserError('invalid_storage_config', 'Set both the S3 access key id and secret access key, or neither');
  }
  return {
    bucket: s3.bucket,
    region: s3.region,
    forcePathStyle: s3.forcePathStyle,
    ...(s3.endpoint !== undefined ? { endpoint: s3.endpoint } : {}),
    ...(accessKeyId !== undefined && secretAccessKey !== undefined
      ? { credentials: { accessKeyId, secretAccessKey } }
      : {}),
  };
}

/**
 * The configured BlobStore: S3 when `options.s3` is given, else the local backend rooted at
 * `${dataDir}/storage`. The AWS SDK is loaded only for S3, so local deployments never pay for it.
 * @throws UserError `invalid_storage_config` when only one of the two S3 keys is set.
 */
export async function openBlobStore(options: BlobStoreOptions): Promise<BlobStore> {
  const { s3 } = options;
  if (!s3) return createLocalBlobStore({ rootDir: join(options.dataDir, 'storage') });
  const connection = s3ConnectionOf(s3);
  const { createS3BlobStore } = await import('./s3.js');
  return createS3BlobStore({ ...connection, presignTtlS: s3.presignTtlS });
}
