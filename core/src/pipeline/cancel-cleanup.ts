import type { Kysely } from 'kysely';
import type { Database, VideoRow } from '../db/schema.js';
import type { BlobStore } from '../storage/blob-store.js';

/**
 * After a cancel: unfinished clip versions are marked cancelled and their files removed; a video
 * that never produced a take loses all its files. Finished versions and takes stay.
 */
export async function cleanupCancelled(
  db: Kysely<Database>,
  storage: BlobStore,
  video: VideoRow,
  prefix: string,
): Promise<void> {
  const unfinished = await db
    .selectFrom('clip_versions')
    .innerJoin('scenes', 'scenes.id', 'clip_versions.scene_id')
    .select(['clip_versions.id', 'clip_versions.version', 'scenes.index'])
    .where('scenes.video_id', '=', video.id)
    .where('clip_versions.status', 'in', ['pending', 'running'])
    .execute();
  if (unfinished.length > 0) {
    await db
      .updateTable('clip_versions')
      .set({ status: 'cancelled', error_message: 'Cancelled' })
      .where(
        'id',
        'in',
        unfinished.map((row) => row.id),
      )
      .execute();
  }
  const keys = await storage.list(prefix);
  const hasTake = keys.some((key) => /\/take_\d+\.mp4$/.test(key));
  const partial = unfinished.map((row) => `${prefix}scene_${String(row.index).padStart(2, '0')}_v${row.version}`);
  const doomed = hasTake
    ? keys.filter((key) => partial.some((start) => key.startsWith(`${start}_`) || key.startsWith(`${start}.`)))
    : keys;
  await Promise.all(doomed.map((key) => storage.delete(key)));
}
