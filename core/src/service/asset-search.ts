import { randomUUID } from 'node:crypto';
import { type AssetView, toAssetView } from '../assets/asset-view.js';
import { completeLibraryFiles } from '../assets/library-files.js';
import { findAssetEmbeddings, nearestAssets, vectorPathOf } from '../db/asset-embeddings.js';
import { fullTextSearchAssets, type ScoredAssetRow } from '../db/asset-search.js';
import { findAssetsWithEmbedding, listAssetsMissingLibraryFiles } from '../db/assets.js';
import { centroid } from '../embeddings/types.js';
import { UserError } from '../errors.js';
import type { AssetMatchKind, AssetSearchQuery, AssetSearchResult, SearchAssetsOptions } from './asset-types.js';
import type { ServiceContext } from './service-context.js';
import type { Owner } from './types.js';
import { checkSearchOptions, checkSearchQuery } from './validate-assets.js';

/** How many of a user's assets without a vector one similarity search embeds first (old rows, a new model). */
export const BACKFILL_PER_SEARCH = 25;

/**
 * `searchAssets` (see `AssetLibraryService`): a text goes to the embedding provider's text space
 * when it has one (`semantic_text`), else to full-text search (`full_text`); `similarTo` compares
 * image embeddings (`image_similarity`); `styleOf` compares with the centroid of the given assets'
 * embeddings (`style`). Every query is scoped to the owner. Before a vector search, up to
 * `BACKFILL_PER_SEARCH` of the owner's images without a vector of the active model are embedded.
 */
export async function searchAssets(
  ctx: ServiceContext,
  owner: Owner,
  query: AssetSearchQuery,
  opts: SearchAssetsOptions,
): Promise<AssetSearchResult> {
  const search = checkSearchQuery(query);
  const { limit, minScore } = checkSearchOptions(opts ?? {});
  const userId = await ctx.userIdOf(owner);
  const { db } = ctx.deps;
  const { embeddings, assetSearch } = ctx;

  if (search.kind === 'text') {
    const min = minScore ?? assetSearch.minTextScore;
    const vector = await textVector(ctx, userId, search.text);
    if (!vector) {
      const rows = await fullTextSearchAssets(db, userId, {
        text: search.text,
        limit,
        minScore: min,
        embeddingModel: embeddings.model,
      });
      return result('full_text', null, min, null, rows);
    }
    await backfill(ctx, userId);
    const rows = await nearestAssets(db, userId, vectorQuery(ctx, vector, [], limit, min));
    return result('semantic_text', embeddings.model, min, await vectorPathOf(db), rows);
  }

  const ids = search.kind === 'similar' ? [search.assetId] : search.assetIds;
  const seeds = await findAssetsWithEmbedding(db, userId, ids, embeddings.model);
  const missing = ids.filter((id) => !seeds.some((row) => row.id === id));
  if (missing.length > 0) throw new UserError('not_found', `No asset ${missing.join(', ')} found for you.`);
  const audio = seeds.filter((row) => row.kind === 'audio');
  if (audio.length > 0) {
    throw new UserError(
      'not_an_image',
      `Asset ${audio.map((row) => row.id).join(', ')} is audio; similarity and style searches compare pictures.`,
    );
  }
  await backfill(ctx, userId);
  const vectors = await seedVectors(ctx, userId, seeds);
  const min = minScore ?? assetSearch.minImageScore;
  const match: AssetMatchKind = search.kind === 'similar' ? 'image_similarity' : 'style';
  const target = search.kind === 'similar' ? (vectors[0] as number[]) : centroid(vectors);
  const rows = await nearestAssets(db, userId, vectorQuery(ctx, target, ids, limit, min));
  return result(match, embeddings.model, min, await vectorPathOf(db), rows);
}

async function textVector(ctx: ServiceContext, userId: string, text: string): Promise<number[] | undefined> {
  const { embeddings } = ctx;
  if (!embeddings.hasTextSpace) return undefined;
  try {
    const vectors = await embeddings.embedText([text], { userId, callKey: `search.${userId}.${randomUUID()}` });
    return vectors?.[0];
  } catch (error) {
    ctx.deps.log.warn({ err: error, model: embeddings.model }, 'Embedding a search text failed; full-text search');
    return undefined;
  }
}

/** The seeds' vectors in the active model's space, embedding any seed that has none yet. */
async function seedVectors(
  ctx: ServiceContext,
  userId: string,
  seeds: Awaited<ReturnType<typeof findAssetsWithEmbedding>>,
): Promise<number[][]> {
  const { db } = ctx.deps;
  const model = ctx.embeddings.model;
  let stored = await findAssetEmbeddings(
    db,
    userId,
    seeds.map((row) => row.id),
    model,
  );
  const unembedded = seeds.filter((row) => !stored.has(row.id));
  await completeLibraryFiles(libraryDeps(ctx), unembedded);
  if (unembedded.length > 0)
    stored = await findAssetEmbeddings(
      db,
      userId,
      seeds.map((row) => row.id),
      model,
    );
  const lacking = seeds.filter((row) => !stored.has(row.id));
  if (lacking.length > 0) {
    throw new UserError(
      'not_embedded',
      `Asset ${lacking.map((row) => row.id).join(', ')} has no embedding yet (the embedding service did not answer); try again shortly.`,
    );
  }
  return seeds.map((row) => stored.get(row.id) as number[]);
}

/** Embeds (and thumbnails) a bounded number of the owner's images that lack the active model's vector. */
async function backfill(ctx: ServiceContext, userId: string): Promise<void> {
  const rows = await listAssetsMissingLibraryFiles(ctx.deps.db, userId, ctx.embeddings.model, BACKFILL_PER_SEARCH);
  await completeLibraryFiles(libraryDeps(ctx), rows);
}

function libraryDeps(ctx: ServiceContext) {
  return { db: ctx.deps.db, storage: ctx.deps.storage, embeddings: ctx.embeddings, log: ctx.deps.log };
}

function vectorQuery(ctx: ServiceContext, vector: number[], excludeIds: string[], limit: number, minScore: number) {
  const model = ctx.embeddings.model;
  return { model, vector, excludeIds, limit, minScore, embeddingModel: model };
}

function result(
  match: AssetMatchKind,
  embeddingModel: string | null,
  minScore: number,
  vectorPath: AssetSearchResult['vectorPath'],
  rows: ScoredAssetRow[],
): AssetSearchResult {
  return {
    match,
    embeddingModel,
    minScore,
    vectorPath,
    hits: rows.map((row) => ({ asset: viewOf(row), score: round(row.score), match })),
  };
}

function viewOf(row: ScoredAssetRow): AssetView {
  return toAssetView(row, Boolean(row.embedded));
}

function round(score: number): number {
  return Math.round(Number(score) * 10_000) / 10_000;
}
