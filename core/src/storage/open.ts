import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { BlobStore } from './blob-store.js';
import { createLocalBlobStore } from './local.js';

export type BlobStoreOptions = {
  dataDir: string;
  /** When present, objects go to S3; otherwise to `${dataDir}/storage`. */
  s3?: {
    bucket: string;
    region: string;
    endpoint?: string;
    forcePathStyle: boolean;
    /** Give both keys or neither (neither: the SDK's default credential chain). */
    accessKeyId?: string;
    secretAccessKey?: string;
    presignTtlS: number;
  };
};

/**
 * The configured BlobStore: S3 when `options.s3` is given, else the local backend rooted at
 * `${dataDir}/storage`. The AWS SDK is loaded only for S3, so local deployments never pay for it.
 * @throws UserError `invalid_storage_config` when only one of the two S3 keys is set.
 */
export async function openBlobStore(options: BlobStoreOptions): Promise<BlobStore> {
  const { s3 } = options;
  if (!s3) return createLocalBlobStore({ rootDir: join(options.dataDir, 'storage') });
  const { accessKeyId, secretAccessKey, ...rest } = s3;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new UserError('invalid_storage_config', 'Set both the S3 access key id and secret access key, or neither');
  }
  const { createS3BlobStore } = await import('./s3.js');
  return createS3BlobStore({
    ...rest,
    ...(accessKeyId !== undefined && secretAccessKey !== undefined
      ? { credentials: { accessKeyId, secretAccessKey } }
      : {}),
  });
}
