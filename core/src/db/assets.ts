import { sql } from 'kysely';
import { assertUuid, isUuid } from './ids.js';
import type { AssetKind, AssetRow, NewAsset } from './schema.js';
import { type Db, jsonb } from './sql-helpers.js';

export interface ListAssetsOptions {
  kind?: AssetKind;
  /** 1–100, default 20. */
  limit?: number;
}

/** Records an uploaded or generated file. @throws UserError `invalid_id` for a non-UUID `user_id`. */
export async function insertAsset(db: Db, row: NewAsset): Promise<AssetRow> {
  assertUuid(row.user_id, 'user');
  return db
    .insertInto('assets')
    .values({ ...row, metadata: jsonb(row.metadata) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The asset only if `userId` owns it: another user's asset is indistinguishable from a missing one. */
export async function findAssetForUser(db: Db, userId: string, id: string): Promise<AssetRow | undefined> {
  if (!isUuid(userId) || !isUuid(id)) return undefined;
  return db.selectFrom('assets').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
}

/** A user's assets, newest first. */
export async function listAssetsForUser(db: Db, userId: string, options: ListAssetsOptions = {}): Promise<AssetRow[]> {
  if (!isUuid(userId)) return [];
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 20), 1), 100);
  let query = db.selectFrom('assets').selectAll().where('user_id', '=', userId);
  if (options.kind) query = query.where('kind', '=', options.kind);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** The assets a step made (character references record their step key in `metadata.stepKey`), in order. */
export async function listAssetsForStep(db: Db, userId: string, stepKey: string): Promise<AssetRow[]> {
  if (!isUuid(userId)) return [];
  return db
    .selectFrom('assets')
    .selectAll()
    .where('user_id', '=', userId)
    .where(sql<boolean>`metadata->>'stepKey' = ${stepKey}`)
    .orderBy(sql`(metadata->>'index')::int`)
    .execute();
}

/** The assets with these ids that `userId` owns, in the order given. */
export async function findAssetsForUser(db: Db, userId: string, ids: readonly string[]): Promise<AssetRow[]> {
  const valid = ids.filter(isUuid);
  if (!isUuid(userId) || valid.length === 0) return [];
  const rows = await db
    .selectFrom('assets')
    .selectAll()
    .where('user_id', '=', userId)
    .where('id', 'in', valid)
    .execute();
  return valid.flatMap((id) => rows.filter((row) => row.id === id));
}
