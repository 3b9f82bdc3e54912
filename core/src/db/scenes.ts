import { assertUuid, isUuid } from './ids.js';
import type { NewScene, SceneRow, SceneUpdate } from './schema.js';
import type { Db } from './sql-helpers.js';

/**
 * Inserts a video's scenes; returns them ordered by index. Fails with a unique violation when an
 * index is already taken. @throws UserError `invalid_id` for a non-UUID `video_id`.
 */
export async function insertScenes(db: Db, rows: readonly NewScene[]): Promise<SceneRow[]> {
  if (rows.length === 0) return [];
  for (const row of rows) assertUuid(row.video_id, 'video');
  const inserted = await db.insertInto('scenes').values(rows).returningAll().execute();
  return inserted.sort((a, b) => a.video_id.localeCompare(b.video_id) || a.index - b.index);
}

/** A video's scenes in play order. */
export async function listScenes(db: Db, videoId: string): Promise<SceneRow[]> {
  if (!isUuid(videoId)) return [];
  return db.selectFrom('scenes').selectAll().where('video_id', '=', videoId).orderBy('index').execute();
}

/** The scene at 0-based `index` of a video. */
export async function findScene(db: Db, videoId: string, index: number): Promise<SceneRow | undefined> {
  if (!isUuid(videoId) || !Number.isInteger(index)) return undefined;
  return db
    .selectFrom('scenes')
    .selectAll()
    .where('video_id', '=', videoId)
    .where('index', '=', index)
    .executeTakeFirst();
}

/** The scene with this id (scene cards carry it in their button ids). */
export async function findSceneById(db: Db, id: string): Promise<SceneRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db.selectFrom('scenes').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Applies `patch`; undefined when there is no such scene. */
export async function updateScene(db: Db, id: string, patch: SceneUpdate): Promise<SceneRow | undefined> {
  assertUuid(id, 'scene');
  if (Object.keys(patch).length === 0) return findSceneById(db, id);
  return db.updateTable('scenes').set(patch).where('id', '=', id).returningAll().executeTakeFirst();
}

/** How many scenes a video has (0 before planning). */
export async function countScenes(db: Db, videoId: string): Promise<number> {
  if (!isUuid(videoId)) return 0;
  const row = await db
    .selectFrom('scenes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('video_id', '=', videoId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
