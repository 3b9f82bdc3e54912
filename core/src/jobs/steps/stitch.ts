import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { listCurrentClipVersionsForVideo } from '../../db/clip-versions.js';
import { listScenes } from '../../db/scenes.js';
import { findLatestTake, findTakeByStepKey, insertTake } from '../../db/takes.js';
import { PermanentError } from '../../errors.js';
import { concatClips } from '../../media/concat.js';
import { storedMediaInfo } from '../../media/media-info-schema.js';
import { type MediaInfo, probe } from '../../media/probe.js';
import { takeKey } from '../../storage/keys.js';
import { loadVideo } from '../load.js';
import { defineStep, LOCAL_RETRY } from '../step.js';

/**
 * A new take: the current version of every scene that has one, in order, stream-copied when the
 * clips share codec parameters (one normalising re-encode otherwise), trimmed to their planned
 * total. The clips' media facts come from their versions (recorded when they were assembled), so
 * nothing is probed. Takes are never overwritten; the video points at the newest. Idempotent: the
 * take records this step's key, and a re-run returns that take instead of adding another.
 * @throws PermanentError when no scene has a finished clip (every scene failed).
 */
export const stitchStep = defineStep({
  name: 'stitch',
  input: z.object({ videoId: z.uuid() }),
  output: z.object({
    takeId: z.uuid(),
    number: z.number().int(),
    key: z.string(),
    durationS: z.number(),
  }),
  pool: 'local',
  stage: 'stitching',
  retry: LOCAL_RETRY,
  async run(input, ctx) {
    const { deps, files, signal } = ctx;
    const existing = await findTakeByStepKey(deps.db, ctx.stepKey);
    if (existing) {
      return {
        takeId: existing.id,
        number: existing.number,
        key: existing.storage_key,
        durationS: existing.duration_s,
      };
    }
    const video = await loadVideo(ctx, input.videoId);
    const usable = (await listCurrentClipVersionsForVideo(deps.db, video.id)).filter((version) => version.storage_key);
    if (usable.length === 0) {
      const count = (await listScenes(deps.db, video.id)).length;
      throw new PermanentError(
        count > 0
          ? `Every scene failed to generate (scenes ${Array.from({ length: count }, (_, i) => i + 1).join(', ')})`
          : 'No scene has a finished clip to stitch',
      );
    }
    const scenes = await listScenes(deps.db, video.id);
    const plannedS = usable.reduce(
      (sum, version) => sum + (scenes.find((scene) => scene.index === version.scene_index)?.duration_s ?? 0),
      0,
    );
    const paths = await Promise.all(usable.map((version) => files.fetch(version.storage_key as string)));
    const infos: MediaInfo[] = await Promise.all(
      usable.map(async (version, i) => storedMediaInfo(version.media) ?? (await probe(paths[i] as string, { signal }))),
    );
    const workDir = await files.scratch('stitch');
    try {
      const out = join(workDir, 'take.mp4');
      const result = await concatClips(paths, out, { targetDurationS: plannedS, infos, probeOutput: false, signal });
      const number = ((await findLatestTake(deps.db, video.id))?.number ?? 0) + 1;
      const key = takeKey(video.user_id, video.id, number);
      await files.publish(out, key, 'video/mp4');
      const take = await insertTake(deps.db, {
        video_id: video.id,
        storage_key: key,
        duration_s: result.durationS,
        clip_version_ids: usable.map((version) => version.id),
        method: result.method,
        step_key: ctx.stepKey,
      });
      return { takeId: take.id, number: take.number, key: take.storage_key, durationS: take.duration_s };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  },
});
