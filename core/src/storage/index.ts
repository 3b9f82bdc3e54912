import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { BlobStore } from './blob-store.js';
import { createLocalBlobStore } from './local.js';
import { createS3BlobStore } from './s3.js';

export type { BlobSource, BlobStore, PutOptions, PutResult } from './blob-store.js';
export { BlobNotFoundError } from './blob-store.js';
export {
  assertValidKey,
  assertValidPrefix,
  assetKey,
  chunkKey,
  chunkLastFrameKey,
  contactSheetKey,
  finalKey,
  MAX_KEY_BYTES,
  musicKey,
  predictionOutputKey,
  sceneVersionKey,
  storyboardKey,
  takeKey,
  videoPrefix,
} from './keys.js';
export { createLocalBlobStore, type LocalBlobStoreOptions } from './local.js';
export { assertValidPresignTtl, MAX_PRESIGN_TTL_S } from './presign-ttl.js';
export { createS3BlobStore, type S3BlobStoreOptions } from './s3.js';

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
 * `${dataDir}/storage`. Throws UserError `invalid_storage_config` when only one of the two S3 keys is set.
 */
export function createBlobStore(options: BlobStoreOptions): BlobStore {
  const { s3 } = options;
  if (!s3) return createLocalBlobStore({ rootDir: join(options.dataDir, 'storage') });
  const { accessKeyId, secretAccessKey, ...rest } = s3;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new UserError('invalid_storage_config', 'Set both the S3 access key id and secret access key, or neither');
  }
  return createS3BlobStore({
    ...rest,
    ...(accessKeyId !== undefined && secretAccessKey !== undefined
      ? { credentials: { accessKeyId, secretAccessKey } }
      : {}),
  });
}
