import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { upsertAssetEmbedding } from '../db/asset-embeddings.js';
import { updateAssetLibraryFields } from '../db/assets.js';
import type { AssetRow, Database } from '../db/schema.js';
import type { EmbeddingProvider } from '../embeddings/types.js';
import type { Logger } from '../log.js';
import { makeThumbnail } from '../media/thumbnail.js';
import type { BlobStore } from '../storage/blob-store.js';
import { assetThumbnailKey } from '../storage/keys.js';

/** What making an asset's library files needs. */
export interface LibraryDeps {
  db: Kysely<Database>;
  storage: BlobStore;
  embeddings: EmbeddingProvider;
  log?: Logger | undefined;
}

/** A private scratch folder with `bytes` written in it as `name`; `done()` removes it. */
export async function scratchFile(bytes: Uint8Array, name: string): Promise<{ path: string; done(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'reelsmith-asset-'));
  const path = join(dir, name);
  await writeFile(path, bytes);
  return { path, done: () => rm(dir, { recursive: true, force: true }) };
}

/** Makes the 400×400 thumbnail of the image at `path` and stores it beside the asset; returns its key. */
export async function storeThumbnail(
  storage: BlobStore,
  userId: string,
  assetId: string,
  path: string,
  signal?: AbortSignal,
): Promise<string> {
  const key = assetThumbnailKey(userId, assetId);
  const out = `${path}.thumb.jpg`;
  await makeThumbnail(path, out, signal ? { signal } : {});
  await storage.put(key, { file: out }, { contentType: 'image/jpeg' });
  return key;
}

/**
 * Embeds the image at `path` with the active provider and stores the vector for the asset. A
 * provider failure (Replicate down, say) is logged and answered `false`: the asset stays usable and
 * is embedded later, when a search finds it without a vector.
 */
export async function storeEmbedding(
  deps: LibraryDeps,
  row: Pick<AssetRow, 'id' | 'user_id'>,
  path: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const { embeddings } = deps;
  try {
    const [vector] = await embeddings.embedImages([path], {
      signal,
      userId: row.user_id,
      callKey: `asset.${row.id}.embed.${embeddings.model.replace(/[^A-Za-z0-9]+/g, '_')}`,
    });
    if (!vector || vector.length !== embeddings.dimensions) return false;
    await upsertAssetEmbedding(deps.db, {
      assetId: row.id,
      userId: row.user_id,
      model: embeddings.model,
      vector,
    });
    return true;
  } catch (error) {
    if (signal?.aborted) throw error;
    deps.log?.warn({ err: error, assetId: row.id, model: embeddings.model }, 'Embedding an asset failed; later');
    return false;
  }
}

/**
 * Brings an image asset's library files up to date from its stored file: the thumbnail when it has
 * none (rows from before the brand library), the embedding of the active model when missing.
 * Returns the row as it is now and whether it is embedded.
 */
export async function completeLibraryFiles(
  deps: LibraryDeps,
  row: AssetRow & { embedded: boolean },
  signal?: AbortSignal,
): Promise<{ row: AssetRow; embedded: boolean }> {
  if (row.kind === 'audio' || (row.thumbnail_key && row.embedded)) return { row, embedded: row.embedded };
  const dir = await mkdtemp(join(tmpdir(), 'reelsmith-asset-'));
  try {
    const path = join(dir, row.filename);
    await deps.storage.get(row.storage_key, { file: path });
    let current: AssetRow = row;
    if (!row.thumbnail_key) {
      const key = await storeThumbnail(deps.storage, row.user_id, row.id, path, signal);
      current = (await updateAssetLibraryFields(deps.db, row.user_id, row.id, { thumbnail_key: key })) ?? row;
    }
    const embedded = row.embedded || (await storeEmbedding(deps, row, path, signal));
    return { row: current, embedded };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
