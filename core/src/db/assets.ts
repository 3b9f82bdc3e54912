import { sql } from 'kysely';
import { accountMemberIds } from './accounts.js';
import { assertUuid, isUuid } from './ids.js';
import { ACTIVE_VIDEO_STATUSES, type AssetKind, type AssetRow, type NewAsset } from './schema.js';
import { type Db, jsonb } from './sql-helpers.js';

export interface ListAssetsOptions {
  kind?: AssetKind;
  /** Only assets carrying this tag (exact, lowercase). */
  tag?: string;
  /** 1–100, default 20. */
  limit?: number;
}

/** An asset row with whether it has an embedding in the model asked about. */
export type AssetRowWithEmbedding = AssetRow & { embedded: boolean };

/** Every column of `assets` the app reads (not `search_vector`, which only full-text search uses). */
export const ASSET_COLUMNS = [
  'assets.id',
  'assets.user_id',
  'assets.kind',
  'assets.filename',
  'assets.mime_type',
  'assets.size_bytes',
  'assets.width',
  'assets.height',
  'assets.duration_s',
  'assets.sha256',
  'assets.storage_key',
  'assets.source_url',
  'assets.metadata',
  'assets.name',
  'assets.tags',
  'assets.caption',
  'assets.thumbnail_key',
  'assets.created_at',
  'assets.updated_at',
] as const;

/** `photo.final.png` → `photo.final`; at most 100 characters, never empty. */
export function nameFromFilename(filename: string): string {
  const base = filename.replace(/\.[^.]*$/, '').trim();
  return (base || filename || 'asset').slice(0, 100);
}

/**
 * Records an uploaded or generated file; `name` defaults to the file name without its extension.
 * @throws UserError `invalid_id` for a non-UUID `user_id`.
 */
export async function insertAsset(db: Db, row: NewAsset): Promise<AssetRow> {
  assertUuid(row.user_id, 'user');
  return db
    .insertInto('assets')
    .values({ ...row, name: row.name ?? nameFromFilename(row.filename), metadata: jsonb(row.metadata) })
    .returning(ASSET_COLUMNS)
    .executeTakeFirstOrThrow();
}

/**
 * The asset only if `userId`'s account owns it (the user or an identity linked to it, see accounts.ts):
 * another user's asset is indistinguishable from a missing one.
 */
export async function findAssetForUser(db: Db, userId: string, id: string): Promise<AssetRow | undefined> {
  if (!isUuid(userId) || !isUuid(id)) return undefined;
  return db
    .selectFrom('assets')
    .select(ASSET_COLUMNS)
    .where('id', '=', id)
    .where('user_id', 'in', accountMemberIds(db, userId))
    .executeTakeFirst();
}

/** The assets of a user's account, newest first. */
export async function listAssetsForUser(db: Db, userId: string, options: ListAssetsOptions = {}): Promise<AssetRow[]> {
  return listAssetsWithEmbedding(db, userId, null, options);
}

/**
 * The assets of a user's account, newest first, each with `embedded`: whether it has an embedding of `model`
 * (always false for a null model).
 */
export async function listAssetsWithEmbedding(
  db: Db,
  userId: string,
  model: string | null,
  options: ListAssetsOptions = {},
): Promise<AssetRowWithEmbedding[]> {
  if (!isUuid(userId)) return [];
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 20), 1), 100);
  let query = db
    .selectFrom('assets')
    .select(ASSET_COLUMNS)
    .select(embeddedFlag(model))
    .where('user_id', 'in', accountMemberIds(db, userId));
  if (options.kind) query = query.where('kind', '=', options.kind);
  if (options.tag !== undefined) query = query.where(sql<boolean>`${options.tag} = any(assets.tags)`);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** The assets with these ids that `userId`'s account owns, with `embedded` for `model`, in the order given. */
export async function findAssetsWithEmbedding(
  db: Db,
  userId: string,
  ids: readonly string[],
  model: string | null,
): Promise<AssetRowWithEmbedding[]> {
  const valid = ids.filter(isUuid);
  if (!isUuid(userId) || valid.length === 0) return [];
  const rows = await db
    .selectFrom('assets')
    .select(ASSET_COLUMNS)
    .select(embeddedFlag(model))
    .where('user_id', 'in', accountMemberIds(db, userId))
    .where('id', 'in', valid)
    .execute();
  return valid.flatMap((id) => rows.filter((row) => row.id === id));
}

function embeddedFlag(model: string | null) {
  return (
    model === null
      ? sql<boolean>`false`
      : sql<boolean>`exists (
      select 1 from asset_embeddings e where e.asset_id = assets.id and e.model = ${model}
    )`
  ).as('embedded');
}

/**
 * Up to `limit` of the account's pictures (not audio) that lack a thumbnail or an embedding of
 * `model`, newest first: rows from before the brand library, or after a change of embedding model.
 */
export async function listAssetsMissingLibraryFiles(
  db: Db,
  userId: string,
  model: string,
  limit: number,
): Promise<AssetRowWithEmbedding[]> {
  if (!isUuid(userId)) return [];
  const rows = await db
    .selectFrom('assets')
    .select(ASSET_COLUMNS)
    .select(embeddedFlag(model))
    .where('user_id', 'in', accountMemberIds(db, userId))
    .where('kind', '<>', 'audio')
    .where((eb) =>
      eb.or([
        eb('thumbnail_key', 'is', null),
        eb.not(
          eb.exists(
            eb
              .selectFrom('asset_embeddings as e')
              .select(sql`1`.as('one'))
              .whereRef('e.asset_id', '=', 'assets.id')
              .where('e.model', '=', model),
          ),
        ),
      ]),
    )
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows;
}

/** The assets a step made (character references record their step key in `metadata.stepKey`), in order. */
export async function listAssetsForStep(db: Db, userId: string, stepKey: string): Promise<AssetRow[]> {
  if (!isUuid(userId)) return [];
  return db
    .selectFrom('assets')
    .select(ASSET_COLUMNS)
    .where('user_id', '=', userId)
    .where(sql<boolean>`metadata->>'stepKey' = ${stepKey}`)
    .orderBy(sql`(metadata->>'index')::int`)
    .execute();
}

/** The assets with these ids that `userId`'s account owns, in the order given. */
export async function findAssetsForUser(db: Db, userId: string, ids: readonly string[]): Promise<AssetRow[]> {
  return findAssetsWithEmbedding(db, userId, ids, null);
}

/** Changes what the library shows of an asset of `userId`'s account (name, tags, caption, thumbnail); never its file. */
export async function updateAssetLibraryFields(
  db: Db,
  userId: string,
  id: string,
  patch: { name?: string; tags?: string[]; caption?: string | null; thumbnail_key?: string | null },
): Promise<AssetRow | undefined> {
  if (!isUuid(userId) || !isUuid(id)) return undefined;
  return db
    .updateTable('assets')
    .set({ ...patch, updated_at: sql`now()` } as never)
    .where('id', '=', id)
    .where('user_id', 'in', accountMemberIds(db, userId))
    .returning(ASSET_COLUMNS)
    .executeTakeFirst();
}

/** Deletes an asset row of `userId`'s account (its embeddings go with it, `on delete cascade`); true when a row went. */
export async function deleteAssetRow(db: Db, userId: string, id: string): Promise<boolean> {
  if (!isUuid(userId) || !isUuid(id)) return false;
  const result = await db
    .deleteFrom('assets')
    .where('id', '=', id)
    .where('user_id', 'in', accountMemberIds(db, userId))
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Ids of the account's videos (any linked identity's) still in progress (not ready, failed or cancelled) that use the asset:
 * in their options (reference image, audio, character reference, image pairs) or in the params of
 * one of their works (a lipsync's audio). Every such reference holds the asset id, by itself or
 * inside its storage key (`{userId}/assets/{assetId}/…`), so the search is for the id.
 */
export async function listActiveVideosUsingAsset(db: Db, userId: string, assetId: string): Promise<string[]> {
  if (!isUuid(userId) || !isUuid(assetId)) return [];
  const pattern = `%${assetId.toLowerCase()}%`;
  const rows = await db
    .selectFrom('videos')
    .select('videos.id')
    .where('videos.user_id', 'in', accountMemberIds(db, userId))
    .where('videos.status', 'in', ACTIVE_VIDEO_STATUSES)
    .where((eb) =>
      eb.or([
        eb(sql`lower(videos.options::text)`, 'like', pattern),
        eb.exists(
          eb
            .selectFrom('works')
            .select(sql`1`.as('one'))
            .whereRef('works.video_id', '=', 'videos.id')
            .where(sql<boolean>`lower(works.params::text) like ${pattern}`),
        ),
      ]),
    )
    .orderBy('videos.created_at')
    .execute();
  return rows.map((row) => row.id);
}
