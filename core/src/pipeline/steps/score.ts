import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TakeRow } from '../../db/schema.js';
import { updateVideo } from '../../db/videos.js';
import { fitMusic, mixMusic } from '../../media/audio.js';
import { finalKey } from '../../storage/keys.js';
import type { StepContext } from '../context.js';

export interface ScoreResult {
  key: string;
  withMusic: boolean;
}

/**
 * `final.mp4`: the take with the music fitted to its length (crop or loop, fade out) mixed under
 * any audio the clips carry. Without music (none generated, or it failed) the take is delivered
 * as it is and the result says so.
 */
export async function scoreStep(
  ctx: StepContext,
  input: { take: TakeRow; musicKey: string | null; volume: number },
): Promise<ScoreResult> {
  const { deps, video, files, signal } = ctx;
  const key = finalKey(video.user_id, video.id);
  const takePath = await files.fetch(input.take.storage_key);
  if (!input.musicKey) {
    await files.publish(takePath, key, 'video/mp4');
    await updateVideo(deps.db, video.id, { final_key: key });
    return { key, withMusic: false };
  }
  const musicPath = await files.fetch(input.musicKey);
  const workDir = await files.scratch('score');
  try {
    const fitted = join(workDir, 'music.m4a');
    await fitMusic(musicPath, fitted, { durationS: input.take.duration_s, signal });
    const out = join(workDir, 'final.mp4');
    await mixMusic(takePath, fitted, out, { volume: input.volume, signal });
    await files.publish(out, key, 'video/mp4');
    await updateVideo(deps.db, video.id, { final_key: key });
    return { key, withMusic: true };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
