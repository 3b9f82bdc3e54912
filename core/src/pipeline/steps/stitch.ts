import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { listCurrentClipVersionsForVideo } from '../../db/clip-versions.js';
import type { TakeRow } from '../../db/schema.js';
import { findLatestTake, insertTake } from '../../db/takes.js';
import { PermanentError } from '../../errors.js';
import { concatClips } from '../../media/concat.js';
import { takeKey } from '../../storage/keys.js';
import type { StepContext } from '../context.js';

/**
 * A new take: the current version of every scene that has one, in order, stream-copied when the
 * clips share codec parameters (one normalising re-encode otherwise), trimmed to their planned
 * total. Takes are never overwritten; the video points at the newest.
 */
export async function stitchStep(ctx: StepContext): Promise<TakeRow> {
  const { deps, video, files, signal } = ctx;
  const current = await listCurrentClipVersionsForVideo(deps.db, video.id);
  const usable = current.filter((version) => version.storage_key);
  if (usable.length === 0) throw new PermanentError('No scene has a finished clip to stitch');
  const scenes = await deps.db.selectFrom('scenes').selectAll().where('video_id', '=', video.id).execute();
  const plannedS = usable.reduce(
    (sum, version) => sum + (scenes.find((scene) => scene.index === version.scene_index)?.duration_s ?? 0),
    0,
  );
  const paths = await Promise.all(usable.map((version) => files.fetch(version.storage_key as string)));
  const workDir = await files.scratch('stitch');
  try {
    const out = join(workDir, 'take.mp4');
    const result = await concatClips(paths, out, { targetDurationS: plannedS, signal });
    const number = ((await findLatestTake(deps.db, video.id))?.number ?? 0) + 1;
    const key = takeKey(video.user_id, video.id, number);
    await files.publish(out, key, 'video/mp4');
    return await insertTake(deps.db, {
      video_id: video.id,
      storage_key: key,
      duration_s: result.durationS,
      clip_version_ids: usable.map((version) => version.id),
      method: result.method,
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
