import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { updateClipVersion } from '../../db/clip-versions.js';
import { updateScene } from '../../db/scenes.js';
import type { ClipVersionRow, SceneRow } from '../../db/schema.js';
import { concatClips } from '../../media/concat.js';
import { sceneVersionKey } from '../../storage/keys.js';
import type { StepContext } from '../context.js';

/**
 * Joins a scene version's chunks (stream copy: chunks of one model share codec parameters) and
 * trims the surplus so the version lasts exactly the scene's duration; marks the version current.
 */
export async function assembleSceneStep(
  ctx: StepContext,
  input: { scene: SceneRow; clipVersion: ClipVersionRow; chunkKeys: readonly string[] },
): Promise<{ key: string; durationS: number }> {
  const { deps, video, files, signal } = ctx;
  const key = sceneVersionKey(video.user_id, video.id, input.scene.index, input.clipVersion.version);
  const chunkPaths = await Promise.all(input.chunkKeys.map((chunk) => files.fetch(chunk)));
  const workDir = await files.scratch(`scene-${input.scene.index}`);
  try {
    const out = join(workDir, 'scene.mp4');
    const result = await concatClips(chunkPaths, out, { targetDurationS: input.scene.duration_s, signal });
    await files.publish(out, key, 'video/mp4');
    const cost = await sumVersionCost(ctx, input.scene.index, input.clipVersion.version);
    await updateClipVersion(deps.db, input.clipVersion.id, {
      status: 'succeeded',
      storage_key: key,
      duration_s: result.durationS,
      cost_usd: cost,
      error_message: null,
    });
    await updateScene(deps.db, input.scene.id, { status: 'ready', error_message: null });
    return { key, durationS: result.durationS };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function sumVersionCost(ctx: StepContext, sceneIndex: number, version: number): Promise<number> {
  const prefix = `${ctx.video.id}.chunk.${sceneIndex}.${version}.`;
  const row = await ctx.deps.db
    .selectFrom('ledger')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('actual_usd'), eb.lit(0)).as('total'))
    .where('step_key', 'like', `${prefix}%`)
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}
