import type { Kysely } from 'kysely';
import { listCurrentClipKeysForUser } from '../../db/clip-versions.js';
import type { Database } from '../../db/schema.js';
import type { BlobStore } from '../blob-store.js';
import { classifyKey, type KeyKind } from './key-layout.js';

/**
 * What a user's stored objects are, for the usage report:
 * - `final`: final videos, takes and the music bed (what a video is delivered and re-scored from);
 * - `current_clip`: each scene's current assembled clip; `earlier_clip`: the assembled clips it replaced
 *   (kept: versions are never overwritten);
 * - `storyboard`: storyboard frames and contact sheets; `asset`: uploads and character references;
 * - `intermediate`: chunks, last frames and provider-output copies (what the lifecycle removes);
 * - `other`: keys outside the layout.
 */
export const STORAGE_CATEGORIES = [
  'final',
  'current_clip',
  'earlier_clip',
  'storyboard',
  'asset',
  'intermediate',
  'other',
] as const;
export type StorageCategory = (typeof STORAGE_CATEGORIES)[number];

export type CategoryUsage = { objects: number; bytes: number };

export interface StorageUsage {
  objects: number;
  bytes: number;
  /** Every category, in `STORAGE_CATEGORIES` order, zero when empty. */
  categories: Record<StorageCategory, CategoryUsage>;
}

const CATEGORY_OF_KIND: Record<Exclude<KeyKind, 'scene_version'>, StorageCategory> = {
  final: 'final',
  take: 'final',
  music: 'final',
  storyboard: 'storyboard',
  contact_sheet: 'storyboard',
  asset: 'asset',
  chunk: 'intermediate',
  chunk_last_frame: 'intermediate',
  prediction_output: 'intermediate',
  unknown: 'other',
};

/** The category of one key, given the keys of the current clips. */
export function categoryOf(key: string, currentClipKeys: ReadonlySet<string>): StorageCategory {
  const { kind } = classifyKey(key);
  if (kind === 'scene_version') return currentClipKeys.has(key) ? 'current_clip' : 'earlier_clip';
  return CATEGORY_OF_KIND[kind];
}

/** Zero objects in every category. */
export function emptyUsage(): StorageUsage {
  const categories = Object.fromEntries(
    STORAGE_CATEGORIES.map((category) => [category, { objects: 0, bytes: 0 }]),
  ) as Record<StorageCategory, CategoryUsage>;
  return { objects: 0, bytes: 0, categories };
}

/** Objects and bytes a user holds (everything under `{userId}/`), by category, as the store reports them now. */
export async function storageUsage(
  deps: { db: Kysely<Database>; storage: BlobStore },
  userId: string,
): Promise<StorageUsage> {
  const [objects, current] = await Promise.all([
    deps.storage.listObjects(`${userId}/`),
    listCurrentClipKeysForUser(deps.db, userId),
  ]);
  const currentKeys = new Set(current);
  const usage = emptyUsage();
  for (const object of objects) {
    const category = usage.categories[categoryOf(object.key, currentKeys)];
    category.objects += 1;
    category.bytes += object.sizeBytes;
    usage.objects += 1;
    usage.bytes += object.sizeBytes;
  }
  return usage;
}
