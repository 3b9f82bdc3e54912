import type { Kysely, Transaction } from 'kysely';
import { insertClipVersion, listClipVersions } from '../../db/clip-versions.js';
import type { Database, SceneRow, VideoRow } from '../../db/schema.js';
import { planChunks } from '../../models/chunks.js';
import type { ModelSpec } from '../../models/types.js';

/**
 * Locks the video's row for the rest of `trx` and says whether it is still live. A plan step that
 * was already running when the video was cancelled must write no scenes or versions after the
 * cancel (nothing would clean them up in order, and a refused or cancelled request changes nothing
 * more): the lock orders this check after a concurrent cancel's status update.
 */
export async function lockLiveVideo(trx: Transaction<Database>, videoId: string): Promise<boolean> {
  const row = await trx.selectFrom('videos').select('status').where('id', '=', videoId).forUpdate().executeTakeFirst();
  return row !== undefined && row.status !== 'cancelled';
}

/**
 * Gives every scene without a version its version 1 (`generated`, running), made by the video's
 * own provider and model. Scenes that already have versions are left alone, so a re-run of a plan
 * step adds nothing.
 */
export async function insertFirstVersions(
  trx: Transaction<Database> | Kysely<Database>,
  video: Pick<VideoRow, 'provider'>,
  model: ModelSpec,
  scenes: readonly SceneRow[],
): Promise<void> {
  for (const scene of scenes) {
    if ((await listClipVersions(trx, scene.id)).length > 0) continue;
    await insertClipVersion(trx, {
      scene_id: scene.id,
      kind: 'generated',
      status: 'running',
      prompt: scene.prompt,
      provider: video.provider,
      model_key: model.key,
      chunk_count: planChunks(model, scene.duration_s).chunks.length,
    });
  }
}
