import type { Kysely } from 'kysely';
import { listClipVersionsInStatus, markClipVersionsCancelled } from '../db/clip-versions.js';
import type { Database } from '../db/schema.js';
import { findVideoById } from '../db/videos.js';
import type { BlobStore } from '../storage/blob-store.js';
import { videoPrefix } from '../storage/keys.js';

/**
 * After a cancel: unfinished clip versions are marked cancelled and their files removed; a video
 * that never produced a take loses all its files. Finished versions and takes stay. Idempotent
 * (a worker that stops late runs it again).
 */
export async function cleanupCancelled(db: Kysely<Database>, storage: BlobStore, videoId: string): Promise<void> {
  const video = await findVideoById(db, videoId);
  if (!video) return;
  const prefix = videoPrefix(video.user_id, video.id);
  const unfinished = await listClipVersionsInStatus(db, video.id, ['pending', 'running', 'cancelled']);
  await markClipVersionsCancelled(
    db,
    unfinished.filter((row) => row.status !== 'cancelled').map((row) => row.id),
  );
  const keys = await storage.list(prefix);
  const hasTake = keys.some((key) => /\/take_\d+\.mp4$/.test(key));
  const partial = unfinished.map((row) => `${prefix}scene_${String(row.scene_index).padStart(2, '0')}_v${row.version}`);
  const doomed = hasTake
    ? keys.filter((key) => partial.some((start) => key.startsWith(`${start}_`) || key.startsWith(`${start}.`)))
    : keys;
  await Promise.all(doomed.map((key) => storage.delete(key)));
}
