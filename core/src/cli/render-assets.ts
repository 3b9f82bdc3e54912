import type { AssetView } from '../assets/add-asset.js';
import type { AssetSearchResult } from '../service/asset-types.js';

const MATCH_LABEL: Record<AssetSearchResult['match'], string> = {
  semantic_text: 'semantic text match (CLIP text and image embeddings)',
  full_text: 'full-text match over names, tags and captions',
  image_similarity: 'image similarity',
  style: 'style: nearest to the centroid of the given assets',
};

/** One line per asset: id, kind, name, size, tags. */
export function renderAssetList(assets: readonly AssetView[]): string {
  if (assets.length === 0) return 'No assets yet. Add one with `reelsmith assets add <file>`.\n';
  return `${assets.map(assetLine).join('\n')}\n`;
}

/** Every field of one asset, for `assets show` / `assets add`. */
export function renderAssetView(asset: AssetView): string {
  const size =
    asset.width && asset.height ? `${asset.width}×${asset.height}` : asset.durationS ? `${asset.durationS} s` : '';
  return [
    `Asset ${asset.assetId}: "${asset.name}" (${asset.kind})`,
    `  file:      ${asset.filename} (${asset.mimeType}${size ? `, ${size}` : ''}, ${asset.sizeBytes} bytes)`,
    `  tags:      ${asset.tags.join(', ') || '(none)'}`,
    `  caption:   ${asset.caption ?? '(none)'}`,
    `  thumbnail: ${asset.thumbnailKey ?? '(none)'}`,
    `  embedded:  ${asset.embedded ? 'yes' : 'no'}`,
    `  added:     ${asset.createdAt}`,
    '',
  ].join('\n');
}

/** The kind of match, the minimum score, then one line per hit with its score. */
export function renderAssetSearch(result: AssetSearchResult): string {
  const how = `${MATCH_LABEL[result.match]}${result.embeddingModel ? `, model ${result.embeddingModel}` : ''}`;
  const header = `${result.hits.length} match${result.hits.length === 1 ? '' : 'es'} — ${how}; minimum score ${result.minScore}`;
  const lines = result.hits.map((hit) => `  ${hit.score.toFixed(3)}  ${assetLine(hit.asset)}`);
  return `${[header, ...lines].join('\n')}\n`;
}

function assetLine(asset: AssetView): string {
  const tags = asset.tags.length > 0 ? `  [${asset.tags.join(', ')}]` : '';
  return `${asset.assetId}  ${asset.kind.padEnd(19)}  ${asset.name}${tags}`;
}
