import type { AssetSearchResult, AssetView } from '@reelsmith/core';
import { z } from 'zod';

/** One library asset as every asset tool returns it (snake_case like the other tools). */
export const AssetSchema = z.object({
  asset_id: z.string(),
  kind: z.enum(['image', 'audio', 'character_reference']),
  name: z.string(),
  tags: z.array(z.string()),
  caption: z.string().nullable(),
  filename: z.string(),
  mime_type: z.string(),
  size_bytes: z.number(),
  width: z.int().nullable(),
  height: z.int().nullable(),
  duration_s: z.number().nullable(),
  has_thumbnail: z.boolean(),
  embedded: z.boolean().describe('Whether the asset has an embedding for similarity search yet.'),
  created_at: z.string(),
});

export const AssetOutputSchema = z.object({ asset: AssetSchema });
export const AssetListOutputSchema = z.object({ assets: z.array(AssetSchema) });

export const AssetSearchOutputSchema = z.object({
  match: z
    .enum(['semantic_text', 'full_text', 'image_similarity', 'style'])
    .describe(
      'semantic_text: CLIP text-to-image; full_text: Postgres full-text over names, tags and captions; image_similarity: nearest to one asset; style: nearest to the centroid of several.',
    ),
  embedding_model: z.string().nullable(),
  min_score: z.number().describe('Hits scoring below this were left out.'),
  hits: z.array(z.object({ score: z.number(), match: z.string(), asset: AssetSchema })),
});

export function assetOutput(asset: AssetView): z.input<typeof AssetSchema> {
  return {
    asset_id: asset.assetId,
    kind: asset.kind,
    name: asset.name,
    tags: asset.tags,
    caption: asset.caption,
    filename: asset.filename,
    mime_type: asset.mimeType,
    size_bytes: asset.sizeBytes,
    width: asset.width,
    height: asset.height,
    duration_s: asset.durationS,
    has_thumbnail: asset.thumbnailKey !== null,
    embedded: asset.embedded,
    created_at: asset.createdAt,
  };
}

export function searchOutput(result: AssetSearchResult): z.input<typeof AssetSearchOutputSchema> {
  return {
    match: result.match,
    embedding_model: result.embeddingModel,
    min_score: result.minScore,
    hits: result.hits.map((hit) => ({ score: hit.score, match: hit.match, asset: assetOutput(hit.asset) })),
  };
}
