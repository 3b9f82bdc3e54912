export type { BlobSource, BlobStore, PutOptions, PutResult, StoredObject } from './blob-store.js';
export { BlobNotFoundError } from './blob-store.js';
export {
  assertValidKey,
  assertValidPrefix,
  assetKey,
  assetThumbnailKey,
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
export { type BlobStoreOptions, openBlobStore, type S3StorageSettings, s3ConnectionOf } from './open.js';
export { assertValidPresignTtl, MAX_PRESIGN_TTL_S } from './presign-ttl.js';
export { createS3BlobStore, type S3BlobStoreOptions } from './s3.js';
