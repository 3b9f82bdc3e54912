import { type AssetView, toAssetView } from '../assets/asset-view.js';
import {
  deleteAssetRow,
  findAssetsWithEmbedding,
  listActiveVideosUsingAsset,
  listAssetsWithEmbedding,
  updateAssetLibraryFields,
} from '../db/assets.js';
import type { AssetRow } from '../db/schema.js';
import { UserError } from '../errors.js';
import { withUserLock } from '../ledger/budget.js';
import { searchAssets } from './asset-search.js';
import type { AssetSearchQuery, AssetSearchResult, ListAssetsRequest, SearchAssetsOptions } from './asset-types.js';
import type { ServiceContext } from './service-context.js';
import type { Owner } from './types.js';
import { applyTagChange, checkAssetId, checkAssetName, checkListAssetsRequest } from './validate-assets.js';

/** The brand-library verbs of the VideoService: every one is scoped to the owner and changes nothing on bad input. */
export interface AssetLibraryService {
  /** The owner's assets, newest first; `tag` is matched exactly (lowercase). */
  listAssets(owner: Owner, opts?: ListAssetsRequest): Promise<AssetView[]>;
  /** One of the owner's assets; another user's (or a missing) id is `not_found`. */
  showAsset(owner: Owner, assetId: string): Promise<AssetView>;
  /** 1–100 characters once trimmed, else `invalid_name`; the file is not moved. */
  renameAsset(owner: Owner, assetId: string, name: string): Promise<AssetView>;
  /** Tags are trimmed and lowercased, 1–50 characters each (`tag_too_long`, `invalid_tag`), at most 30 (`too_many_tags`). */
  tagAsset(owner: Owner, assetId: string, change: { add?: string[]; remove?: string[] }): Promise<AssetView>;
  /**
   * Deletes the asset's file, thumbnail and embeddings. Refused with `asset_in_use` (naming the
   * videos) while a video that is not ready, failed or cancelled uses it.
   */
  deleteAsset(owner: Owner, assetId: string): Promise<{ assetId: string; deleted: true }>;
  /**
   * By text, by similarity to one asset, or in the style of a set. `empty_query` for blank text or
   * an empty `styleOf`; `not_found` for another user's `similarTo` / `styleOf` id; the query
   * assets themselves are never hits.
   */
  searchAssets(owner: Owner, query: AssetSearchQuery, opts?: SearchAssetsOptions): Promise<AssetSearchResult>;
}

export function createAssetLibraryService(ctx: ServiceContext): AssetLibraryService {
  const { db, storage } = ctx.deps;
  const model = () => ctx.embeddings.model;

  const ownedAsset = async (userId: string, assetId: string) => {
    const id = checkAssetId(assetId);
    const [row] = await findAssetsWithEmbedding(db, userId, [id], model());
    if (!row) throw new UserError('not_found', `No asset ${id} found for you.`);
    return row;
  };

  const viewOf = async (userId: string, row: AssetRow | undefined, assetId: string): Promise<AssetView> => {
    if (!row) throw new UserError('not_found', `No asset ${assetId} found for you.`);
    const [fresh] = await findAssetsWithEmbedding(db, userId, [row.id], model());
    return toAssetView(fresh ?? row, fresh?.embedded ?? false);
  };

  return {
    async listAssets(owner, opts = {}) {
      const checked = checkListAssetsRequest(opts);
      const rows = await listAssetsWithEmbedding(db, await ctx.userIdOf(owner), model(), checked);
      return rows.map((row) => toAssetView(row, row.embedded));
    },

    async showAsset(owner, assetId) {
      const row = await ownedAsset(await ctx.userIdOf(owner), assetId);
      return toAssetView(row, row.embedded);
    },

    async renameAsset(owner, assetId, name) {
      const id = checkAssetId(assetId);
      const checked = checkAssetName(name);
      const userId = await ctx.userIdOf(owner);
      await ownedAsset(userId, id);
      return viewOf(userId, await updateAssetLibraryFields(db, userId, id, { name: checked }), id);
    },

    async tagAsset(owner, assetId, change) {
      const id = checkAssetId(assetId);
      const userId = await ctx.userIdOf(owner);
      const row = await ownedAsset(userId, id);
      const tags = applyTagChange(row.tags, change ?? {});
      return viewOf(userId, await updateAssetLibraryFields(db, userId, id, { tags }), id);
    },

    async deleteAsset(owner, assetId) {
      const id = checkAssetId(assetId);
      const userId = await ctx.userIdOf(owner);
      const row = await withUserLock(db, userId, async (trx) => {
        const [asset] = await findAssetsWithEmbedding(trx, userId, [id], null);
        if (!asset) throw new UserError('not_found', `No asset ${id} found for you.`);
        const users = await listActiveVideosUsingAsset(trx, userId, id);
        if (users.length > 0) {
          throw new UserError(
            'asset_in_use',
            `Asset ${id} is used by ${users.length === 1 ? 'video' : 'videos'} ${users.join(', ')} in progress; ` +
              'delete it once they are ready, failed or cancelled.',
            { details: { videoIds: users } },
          );
        }
        await deleteAssetRow(trx, userId, id);
        return asset;
      });
      for (const key of [row.storage_key, row.thumbnail_key]) {
        if (!key) continue;
        await storage.delete(key).catch((error: unknown) => {
          ctx.deps.log.warn({ err: error, key }, 'Deleting an asset: its file stayed in storage');
        });
      }
      return { assetId: id, deleted: true };
    },

    async searchAssets(owner, query, opts = {}) {
      return searchAssets(ctx, owner, query, opts);
    },
  };
}
