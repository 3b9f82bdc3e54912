import type { Kysely, Transaction } from 'kysely';
import { insertClipVersion, listClipVersions } from '../../db/clip-versions.js';
import type { Database, SceneRow, VideoRow } from '../../db/schema.js';
import { planChunks } from '../../models/chunks.js';
import type { ModelSpec } from '../../models/types.js';

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
