import { insertScenes, listScenes } from '../../db/scenes.js';
import type { VideoRow } from '../../db/schema.js';
import { updateVideo } from '../../db/videos.js';
import { PermanentError } from '../../errors.js';
import { createPairPicker, type PickedPair } from '../../plan/pairs/index.js';
import type { StepContext } from '../step.js';
import { insertFirstVersions, lockLiveVideo } from './first-versions.js';

/** What an image-pairs video keeps in `videos.options.imagePairs` (written by `create`). */
export interface ImagePairsOptions {
  /** The user's images in the order given: asset id and storage key. */
  images: Array<{ assetId: string; key: string }>;
  /** Seconds per clip, already rounded to the model's allowed durations. */
  clipDurationS: number;
  brandContext?: string;
  numPairs?: number;
}

/** The plan an image-pairs video stores (`videos.plan`): the pairs used and which picker chose them. */
export interface ImagePairsPlan {
  mode: 'image_pairs';
  source: 'llm' | 'similarity';
  fallbackReason?: string;
  pairs: PickedPair[];
}

/**
 * The plan step of an image-pairs video: the pairs are picked once (the LLM picker when
 * configured, else by similarity) and stored as the video's plan; then one scene per pair whose
 * storyboard frame is the pair's first image and whose target last frame is its second, each
 * with version 1 (one chunk of the clip duration). A re-run reuses the stored pairs and rows.
 */
export async function planImagePairs(ctx: StepContext, video: VideoRow): Promise<{ sceneCount: number }> {
  const { deps, files } = ctx;
  const options = (video.options as { imagePairs?: ImagePairsOptions }).imagePairs;
  if (!options) throw new PermanentError(`Video ${video.id} is in image_pairs mode without its images`);
  const keyOf = new Map(options.images.map((image) => [image.assetId, image.key]));
  let plan = video.plan as ImagePairsPlan | null;
  if (!plan) {
    const images = [];
    for (const image of options.images) images.push({ assetId: image.assetId, path: await files.fetch(image.key) });
    const picker = deps.pairPicker ?? createPairPicker({ log: ctx.log });
    const result = await picker.pick(
      { images, brandContext: options.brandContext, numPairs: options.numPairs },
      { signal: ctx.signal },
    );
    if (result.fallbackReason) ctx.log.warn({ reason: result.fallbackReason }, 'LLM pair picking fell back');
    plan = {
      mode: 'image_pairs',
      source: result.source,
      ...(result.fallbackReason ? { fallbackReason: result.fallbackReason } : {}),
      pairs: result.pairs,
    };
    await updateVideo(deps.db, video.id, { plan, duration_s: plan.pairs.length * options.clipDurationS });
  }
  const pairs = plan.pairs;
  const model = deps.registry.get(video.model_key, 'video');
  const clipS = options.clipDurationS;
  await deps.db.transaction().execute(async (trx) => {
    if (!(await lockLiveVideo(trx, video.id))) return;
    let scenes = await listScenes(trx, video.id);
    if (scenes.length === 0) {
      scenes = await insertScenes(
        trx,
        pairs.map((pair, index) => ({
          video_id: video.id,
          index,
          start_s: index * clipS,
          duration_s: clipS,
          beat_id: null,
          prompt: video.prompt,
          negative_prompt: null,
          direction_prompt: null,
          camera_movement: null,
          shot_type: null,
          storyboard_key: keyOf.get(pair.first) ?? null,
          last_frame_image_key: keyOf.get(pair.last) ?? null,
        })),
      );
    }
    await insertFirstVersions(trx, video, model, scenes);
  });
  return { sceneCount: pairs.length };
}
