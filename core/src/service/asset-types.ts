import type { AssetView } from '../assets/asset-view.js';

export type { AssetView } from '../assets/asset-view.js';

/**
 * What to look for in the owner's library: assets matching a text ("blue energy drink can"),
 * assets that look like one asset (`similarTo`, an asset id), or assets in the style of a set
 * (`styleOf`, asset ids: nearest to the centroid of their embeddings).
 */
export type AssetSearchQuery = { text: string } | { similarTo: string } | { styleOf: string[] };

/**
 * How a hit matched: `semantic_text` (text and images in one CLIP space), `full_text` (Postgres
 * full-text search over name, tags and caption: the offline text search), `image_similarity`
 * (cosine of image embeddings), `style` (cosine to the centroid of the query assets' embeddings).
 */
export type AssetMatchKind = 'semantic_text' | 'full_text' | 'image_similarity' | 'style';

export interface AssetSearchHit {
  asset: AssetView;
  /** 0–1, higher is closer: cosine similarity for embeddings, normalised `ts_rank_cd` for full text. */
  score: number;
  match: AssetMatchKind;
}

export interface AssetSearchResult {
  match: AssetMatchKind;
  /** The embedding model compared in; null for full-text search. */
  embeddingModel: string | null;
  /** Hits scoring below this were left out. */
  minScore: number;
  /** How vectors were compared: pgvector `<=>` or cosine over `real[]` in SQL; null for full text. */
  vectorPath: 'pgvector' | 'real_array' | null;
  /** Best first. */
  hits: AssetSearchHit[];
}

export interface ListAssetsRequest {
  kind?: 'image' | 'audio' | 'character_reference';
  tag?: string;
  /** 1–100, default 20. */
  limit?: number;
}

export interface SearchAssetsOptions {
  /** 1–100, default 20. */
  limit?: number;
  /** 0–1; default ASSET_SEARCH_MIN_TEXT_SCORE for text, ASSET_SEARCH_MIN_IMAGE_SCORE for similar/style. */
  minScore?: number;
}

/** Search thresholds (settings): the seeds used 0.25 for text and 0.7 for image similarity. */
export interface AssetSearchSettings {
  minTextScore: number;
  minImageScore: number;
}

export const DEFAULT_ASSET_SEARCH_SETTINGS: AssetSearchSettings = Object.freeze({
  minTextScore: 0.25,
  minImageScore: 0.7,
});
