import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { NewClipVersionParams } from '../../src/db/clip-versions.js';
import { insertScenes, insertVideo, upsertUser } from '../../src/db/index.js';
import type { PredictionIntentParams } from '../../src/db/predictions.js';
import type { Database, NewLedgerEntry, NewScene, NewVideo, SceneRow, UserRow, VideoRow } from '../../src/db/schema.js';

/** Row builders for tests: each call makes fresh, valid rows (a new platform user id every time). */

/** A new Discord user. */
export function createUser(db: Kysely<Database>, displayName = 'Ada'): Promise<UserRow> {
  return upsertUser(db, { platform: 'discord', platformUserId: randomUUID(), displayName });
}

/** A valid video row for `userId`: a 15 s ad on hailuo, rendered by the animatic. */
export function videoRow(userId: string, extra: Partial<NewVideo> = {}): NewVideo {
  return {
    user_id: userId,
    mode: 'ad',
    prompt: 'a lighthouse at dawn',
    duration_s: 15,
    model_key: 'hailuo',
    provider: 'animatic',
    ...extra,
  };
}

/** Inserts a video for `userId`. */
export async function createVideo(db: Kysely<Database>, userId: string, extra: Partial<NewVideo> = {}) {
  return (await insertVideo(db, videoRow(userId, extra))).video;
}

/** A 5 s scene at `index` (starting at index × 5 s). */
export function sceneRow(videoId: string, index: number): NewScene {
  return { video_id: videoId, index, start_s: index * 5, duration_s: 5, prompt: `scene ${index}` };
}

/** A new user with one video holding one scene (index 0). */
export async function createScene(db: Kysely<Database>): Promise<{ user: UserRow; video: VideoRow; scene: SceneRow }> {
  const user = await createUser(db);
  const video = await createVideo(db, user.id);
  const [scene] = await insertScenes(db, [sceneRow(video.id, 0)]);
  return { user, video, scene: scene! };
}

/** A pending generated clip version for `sceneId`. */
export function clipRow(sceneId: string, extra: Partial<NewClipVersionParams> = {}): NewClipVersionParams {
  return {
    scene_id: sceneId,
    kind: 'generated',
    prompt: 'waves',
    provider: 'animatic',
    model_key: 'hailuo',
    chunk_count: 1,
    ...extra,
  };
}

/** A Replicate prediction intent for a step of `videoId` (random input hash). */
export function intentRow(videoId: string, stepKey: string): PredictionIntentParams {
  return {
    provider: 'replicate',
    model: 'minimax/hailuo-02',
    step_key: stepKey,
    video_id: videoId,
    input_hash: randomUUID(),
    input: { prompt: 'waves', frames: [1, 2] },
  };
}

/** One video run on hailuo, estimated at `estimatedUsd`. */
export function ledgerRow(userId: string, videoId: string | null, estimatedUsd: number): NewLedgerEntry {
  return {
    user_id: userId,
    video_id: videoId,
    step_key: `step.${randomUUID()}`,
    provider: 'replicate',
    model_key: 'hailuo',
    kind: 'video',
    unit: 'run',
    quantity: 1,
    estimated_usd: estimatedUsd,
  };
}
