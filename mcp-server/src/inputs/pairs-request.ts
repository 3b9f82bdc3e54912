import type { CreateVideoRequest, Owner } from '@reelsmith/core';
import { z } from 'zod';
import { mediaField } from './fields.js';
import { toAssetSource } from './media-input.js';

/** create_video's image-pairs inputs (mode image_pairs): asset ids and/or uploaded images, 2–20 in all. */
export const pairsRequestShape = {
  image_asset_ids: z
    .array(z.string())
    .max(20)
    .optional()
    .describe('image_pairs: your image asset ids (2–20 with images).'),
  images: z.array(mediaField).max(20).optional().describe('image_pairs: images to upload (https url or base64 data).'),
  brand_context: z.string().max(4000).optional().describe('image_pairs: campaign goal, audience, brand guidelines.'),
  num_pairs: z.number().int().optional().describe('image_pairs: how many pairs (scenes); default: the picker decides.'),
  clip_duration_s: z.number().optional().describe("image_pairs: seconds per clip (default 6, rounded to the model's)."),
};

interface PairsArgs {
  image_asset_ids?: string[] | undefined;
  images?: Array<z.infer<typeof mediaField>> | undefined;
  brand_context?: string | undefined;
  num_pairs?: number | undefined;
  clip_duration_s?: number | undefined;
}

/** Placeholder ids (one per image) so a bad request is refused before any upload. */
export function pendingPairIds(args: PairsArgs): string[] {
  return [...(args.image_asset_ids ?? []), ...(args.images ?? []).map((_, i) => `pending-${i}`)];
}

/** The given asset ids, then the uploads stored as assets. */
export async function pairImageIds(
  service: {
    addAsset(owner: Owner, src: ReturnType<typeof toAssetSource>, kind: 'image'): Promise<{ assetId: string }>;
  },
  owner: Owner,
  args: PairsArgs,
): Promise<string[]> {
  const ids = [...(args.image_asset_ids ?? [])];
  for (const image of args.images ?? [])
    ids.push((await service.addAsset(owner, toAssetSource(image, 'image'), 'image')).assetId);
  return ids;
}

export function pairsFields(
  args: PairsArgs & { mode?: string | undefined },
  ids: string[],
): Partial<CreateVideoRequest> {
  if (args.mode !== 'image_pairs') return {};
  return {
    imageAssetIds: ids,
    ...(args.brand_context !== undefined ? { brandContext: args.brand_context } : {}),
    ...(args.num_pairs !== undefined ? { numPairs: args.num_pairs } : {}),
    ...(args.clip_duration_s !== undefined ? { clipDurationS: args.clip_duration_s } : {}),
  };
}
