/**
 * Storage lifecycle: which objects are intermediates, the sweep that removes the expired ones, and
 * the usage report. The S3 lifecycle rule lives in `s3-rule.ts`, imported on its own so that local
 * deployments never load the AWS SDK.
 */
export { classifyKey, INTERMEDIATE_KINDS, isIntermediateKey, type KeyKind, type KeyLayout } from './key-layout.js';
export { type SweepDeps, type SweepOptions, type SweepReport, sweepIntermediates } from './sweep.js';
export { LIFECYCLE_TAG, LIFECYCLE_TAGGING } from './tag.js';
export {
  type CategoryUsage,
  categoryOf,
  emptyUsage,
  STORAGE_CATEGORIES,
  type StorageCategory,
  type StorageUsage,
  storageUsage,
} from './usage.js';
