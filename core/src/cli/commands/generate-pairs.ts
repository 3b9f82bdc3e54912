import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { CreateVideoRequest, Owner } from '../../service/types.js';
import type { VideoService } from '../../service/video-service.js';
import { numberOption, stringOption } from '../args.js';
import { readInputFile } from './generate.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The image-pairs fields of `generate --mode image_pairs` (`--context`, `--pairs`, `--clip-duration`). */
export function pairsFields(values: Record<string, unknown>): Partial<CreateVideoRequest> {
  const v = values as Record<string, string | boolean | undefined>;
  const fields: Partial<CreateVideoRequest> = {};
  const context = stringOption(v, 'context');
  const numPairs = numberOption(v, 'pairs', 'invalid_num_pairs');
  const clip = numberOption(v, 'clip-duration', 'invalid_clip_duration');
  if (context !== undefined) fields.brandContext = context;
  if (numPairs !== undefined) fields.numPairs = numPairs;
  if (clip !== undefined) fields.clipDurationS = clip;
  return fields;
}

/**
 * `--image` values as asset ids: an asset id (a UUID that is not a file) is kept, a file is
 * uploaded. Every file is read before anything is uploaded, so a missing one changes nothing.
 */
export async function pairImageIds(service: VideoService, owner: Owner, images: readonly string[]): Promise<string[]> {
  const read: Array<{ id: string } | { path: string; bytes: Uint8Array }> = [];
  for (const image of images) {
    const isFile = await stat(image).then(
      (info) => info.isFile(),
      () => false,
    );
    if (!isFile && UUID.test(image)) read.push({ id: image });
    else read.push({ path: image, bytes: await readInputFile(image) });
  }
  const ids: string[] = [];
  for (const item of read) {
    if ('id' in item) ids.push(item.id);
    else
      ids.push((await service.addAsset(owner, { bytes: item.bytes, filename: basename(item.path) }, 'image')).assetId);
  }
  return ids;
}
