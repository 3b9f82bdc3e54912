import { createHash } from 'node:crypto';
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
      callKey: `asset.${row.id}.embed.${modelSlug(embeddings.model)}`,
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
 * Brings image assets' library files up to date from their stored files: a thumbnail for those
 * without one (rows from before the brand library), and the active model's embedding for those
 * without it, all in one provider call (CLIP takes a batch). An asset whose file cannot be read or
 * thumbnailed is logged and skipped; a failed embedding call is logged and leaves them for later.
 * Idempotent: the call key names the batch's assets, so a retried batch is not paid twice.
 */
export async function completeLibraryFiles(
  deps: LibraryDeps,
  rows: ReadonlyArray<AssetRow & { embedded: boolean }>,
  signal?: AbortSignal,
): Promise<void> {
  const todo = rows.filter((row) => row.kind !== 'audio' && !(row.thumbnail_key && row.embedded));
  if (todo.length === 0) return;
  const dir = await mkdtemp(join(tmpdir(), 'reelsmith-asset-'));
  try {
    const toEmbed: Array<{ row: AssetRow; path: string }> = [];
    for (const row of todo) {
      const path = join(dir, `${row.id}-${row.filename}`);
      try {
        await deps.storage.get(row.storage_key, { file: path });
        if (!row.thumbnail_key) {
          const key = await storeThumbnail(deps.storage, row.user_id, row.id, path, signal);
          await updateAssetLibraryFields(deps.db, row.user_id, row.id, { thumbnail_key: key });
        }
        if (!row.embedded) toEmbed.push({ row, path });
      } catch (error) {
        if (signal?.aborted) throw error;
        deps.log?.warn({ err: error, assetId: row.id }, 'Completing an asset for the library failed; skipped');
      }
    }
    if (toEmbed.length > 0) await storeEmbeddings(deps, toEmbed, signal);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function storeEmbeddings(
  deps: LibraryDeps,
  items: ReadonlyArray<{ row: AssetRow; path: string }>,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { embeddings } = deps;
  const ids = items.map((item) => item.row.id).sort();
  const batch = createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 16);
  try {
    const vectors = await embeddings.embedImages(
      items.map((item) => item.path),
      {
        signal,
        userId: items[0]?.row.user_id as string,
        callKey: `assets.embed.${modelSlug(embeddings.model)}.${batch}`,
      },
    );
    for (const [index, item] of items.entries()) {
      const vector = vectors[index];
      if (!vector || vector.length !== embeddings.dimensions) continue;
      await upsertAssetEmbedding(deps.db, {
        assetId: item.row.id,
        userId: item.row.user_id,
        model: embeddings.model,
        vector,
      });
    }
  } catch (error) {
    if (signal?.aborted) throw error;
    deps.log?.warn({ err: error, assets: ids.length, model: embeddings.model }, 'Embedding assets failed; later');
  }
}

function modelSlug(model: string): string {
  return model.replace(/[^A-Za-z0-9]+/g, '_');
}
