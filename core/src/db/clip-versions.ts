import { sql } from 'kysely';
import { UserError } from '../errors.js';
import { assertUuid, isUuid } from './ids.js';
import {
  type ClipVersionRow,
  type ClipVersionStatus,
  type ClipVersionUpdate,
  type NewClipVersion,
  TERMINAL_VIDEO_STATUSES,
} from './schema.js';
import { type Db, inTransaction, jsonb } from './sql-helpers.js';

/** A new clip version; its `version` number is assigned by insertClipVersion. */
export type NewClipVersionParams = Omit<NewClipVersion, 'version'>;

/** A scene's current clip together with the scene's position. */
export type CurrentClipVersionRow = ClipVersionRow & { scene_index: number };

/**
 * Adds the next version (1, 2, 3…) of a scene's clip. Concurrent calls for one scene are
 * serialised by a lock on the scene row, so each gets a distinct consecutive number.
 * @throws UserError `invalid_id` / `not_found` when the scene id is malformed or absent.
 */
export async function insertClipVersion(db: Db, row: NewClipVersionParams): Promise<ClipVersionRow> {
  assertUuid(row.scene_id, 'scene');
  return inTransaction(db, async (trx) => {
    const scene = await trx
      .selectFrom('scenes')
      .select('id')
      .where('id', '=', row.scene_id)
      .forNoKeyUpdate()
      .executeTakeFirst();
    if (!scene) throw new UserError('not_found', `Scene ${row.scene_id} does not exist.`);
    const nextVersion = trx
      .selectFrom('clip_versions')
      .select(sql<number>`coalesce(max(version), 0) + 1`.as('next'))
      .where('scene_id', '=', row.scene_id);
    return trx
      .insertInto('clip_versions')
      .values({ ...row, media: jsonb(row.media), version: nextVersion })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/** Every version of a scene's clip, oldest first. */
export async function listClipVersions(db: Db, sceneId: string): Promise<ClipVersionRow[]> {
  if (!isUuid(sceneId)) return [];
  return db.selectFrom('clip_versions').selectAll().where('scene_id', '=', sceneId).orderBy('version').execute();
}

/** The scene's current clip: its newest succeeded version (a newer failed or running one does not count). */
export async function findCurrentClipVersion(db: Db, sceneId: string): Promise<ClipVersionRow | undefined> {
  if (!isUuid(sceneId)) return undefined;
  return db
    .selectFrom('clip_versions')
    .selectAll()
    .where('scene_id', '=', sceneId)
    .where('status', '=', 'succeeded')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The current clip of every scene of a video that has one, in scene order (what a stitch uses). */
export async function listCurrentClipVersionsForVideo(db: Db, videoId: string): Promise<CurrentClipVersionRow[]> {
  if (!isUuid(videoId)) return [];
  const rows = await db
    .selectFrom('clip_versions')
    .innerJoin('scenes', 'scenes.id', 'clip_versions.scene_id')
    .distinctOn('clip_versions.scene_id')
    .selectAll('clip_versions')
    .select('scenes.index as scene_index')
    .where('scenes.video_id', '=', videoId)
    .where('clip_versions.status', '=', 'succeeded')
    .orderBy('clip_versions.scene_id')
    .orderBy('clip_versions.version', 'desc')
    .execute();
  return rows.sort((a, b) => a.scene_index - b.scene_index);
}

/** The clip version with this id. */
export async function findClipVersionById(db: Db, id: string): Promise<ClipVersionRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db.selectFrom('clip_versions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Applies `patch` (status, storage key, cost…); undefined when there is no such version. */
export async function updateClipVersion(
  db: Db,
  id: string,
  patch: ClipVersionUpdate,
): Promise<ClipVersionRow | undefined> {
  assertUuid(id, 'clip version');
  if (Object.keys(patch).length === 0) return findClipVersionById(db, id);
  return db
    .updateTable('clip_versions')
    .set({ ...patch, media: jsonb(patch.media) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Every version of the given scenes, oldest first (a video's scene cards). */
export async function listClipVersionsForScenes(db: Db, sceneIds: readonly string[]): Promise<ClipVersionRow[]> {
  if (sceneIds.length === 0) return [];
  return db
    .selectFrom('clip_versions')
    .selectAll()
    .where('scene_id', 'in', [...sceneIds])
    .orderBy('version')
    .execute();
}

/** A video's versions in one of `statuses`, with their scene's position (what a cancel must stop and clean). */
export async function listClipVersionsInStatus(
  db: Db,
  videoId: string,
  statuses: readonly ClipVersionStatus[],
): Promise<Array<{ id: string; version: number; status: ClipVersionStatus; scene_index: number }>> {
  if (!isUuid(videoId) || statuses.length === 0) return [];
  return db
    .selectFrom('clip_versions')
    .innerJoin('scenes', 'scenes.id', 'clip_versions.scene_id')
    .select(['clip_versions.id', 'clip_versions.version', 'clip_versions.status', 'scenes.index as scene_index'])
    .where('scenes.video_id', '=', videoId)
    .where('clip_versions.status', 'in', [...statuses])
    .execute();
}

/** Marks versions cancelled (a cancel stopped them before they finished). */
export async function markClipVersionsCancelled(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('clip_versions')
    .set({ status: 'cancelled', error_message: 'Cancelled' })
    .where('id', 'in', [...ids])
    .execute();
}

/** A clip version whose intermediates may be removed, with where its files live. */
export interface ExpiredClipVersionRow {
  id: string;
  version: number;
  status: ClipVersionStatus;
  scene_index: number;
  video_id: string;
  user_id: string;
}

/**
 * Versions that stopped being useful at or before `cutoff`, in video, scene and version order:
 * - a succeeded version once a newer version of its scene succeeded at or before `cutoff` (it is no
 *   longer current; the newer one's `updated_at` is when it succeeded — succeeded rows are not changed again);
 * - a failed or cancelled version last changed at or before `cutoff`, whose video is not being worked
 *   on (it will never be assembled: a new attempt is always a new version).
 * Pending and running versions, and every scene's current version, are never listed.
 */
export async function listExpiredClipVersions(db: Db, cutoff: Date): Promise<ExpiredClipVersionRow[]> {
  return db
    .selectFrom('clip_versions as cv')
    .innerJoin('scenes as s', 's.id', 'cv.scene_id')
    .innerJoin('videos as v', 'v.id', 's.video_id')
    .select(['cv.id', 'cv.version', 'cv.status', 's.index as scene_index', 'v.id as video_id', 'v.user_id'])
    .where((eb) =>
      eb.or([
        eb.and([
          eb('cv.status', '=', 'succeeded'),
          eb.exists(
            eb
              .selectFrom('clip_versions as newer')
              .select('newer.id')
              .whereRef('newer.scene_id', '=', 'cv.scene_id')
              .whereRef('newer.version', '>', 'cv.version')
              .where('newer.status', '=', 'succeeded')
              .where('newer.updated_at', '<=', cutoff),
          ),
        ]),
        eb.and([
          eb('cv.status', 'in', ['failed', 'cancelled']),
          eb('cv.updated_at', '<=', cutoff),
          eb('v.status', 'in', [...TERMINAL_VIDEO_STATUSES]),
        ]),
      ]),
    )
    .orderBy('v.id')
    .orderBy('s.index')
    .orderBy('cv.version')
    .execute();
}

/** The storage keys of the current clip of every scene of every video of a user. */
export async function listCurrentClipKeysForUser(db: Db, userId: string): Promise<string[]> {
  if (!isUuid(userId)) return [];
  const rows = await db
    .selectFrom('clip_versions')
    .innerJoin('scenes', 'scenes.id', 'clip_versions.scene_id')
    .innerJoin('videos', 'videos.id', 'scenes.video_id')
    .distinctOn('clip_versions.scene_id')
    .select('clip_versions.storage_key')
    .where('videos.user_id', '=', userId)
    .where('clip_versions.status', '=', 'succeeded')
    .orderBy('clip_versions.scene_id')
    .orderBy('clip_versions.version', 'desc')
    .execute();
  return rows.flatMap((row) => (row.storage_key ? [row.storage_key] : []));
}
