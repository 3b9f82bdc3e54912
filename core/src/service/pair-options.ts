import type { AssetRow } from '../db/schema.js';
import type { ImagePairsOptions } from '../jobs/steps/plan-pairs.js';
import type { CheckedPairsRequest } from './validate-pairs.js';

/** What an image-pairs video keeps in `videos.options.imagePairs` for its plan step. */
export function imagePairsOptions(
  checked: CheckedPairsRequest,
  assets: ReadonlyArray<AssetRow | undefined>,
): ImagePairsOptions {
  return {
    images: assets.flatMap((asset) => (asset ? [{ assetId: asset.id, key: asset.storage_key }] : [])),
    clipDurationS: checked.clipDurationS,
    ...(checked.brandContext ? { brandContext: checked.brandContext } : {}),
    ...(checked.numPairs === undefined ? {} : { numPairs: checked.numPairs }),
  };
}
