import { isUuid } from './ids.js';
import type { Platform, UserRow } from './schema.js';
import type { Db } from './sql-helpers.js';

export interface UpsertUserParams {
  platform: Platform;
  platformUserId: string;
  /** Replaces the stored name when given; an omitted or null name keeps the stored one. */
  displayName?: string | null | undefined;
}

/** Returns the user for a platform identity, creating it on first sight. Idempotent and race-safe. */
export async function upsertUser(db: Db, params: UpsertUserParams): Promise<UserRow> {
  return db
    .insertInto('users')
    .values({
      platform: params.platform,
      platform_user_id: params.platformUserId,
      display_name: params.displayName ?? null,
    })
    .onConflict((oc) =>
      oc.columns(['platform', 'platform_user_id']).doUpdateSet((eb) => ({
        display_name: eb.fn.coalesce('excluded.display_name', 'users.display_name'),
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The user with this id; undefined when absent or when `id` is not a UUID. */
export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The user behind a platform identity, without creating one. */
export async function findUserByPlatformId(
  db: Db,
  platform: Platform,
  platformUserId: string,
): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('platform', '=', platform)
    .where('platform_user_id', '=', platformUserId)
    .executeTakeFirst();
}

/** The user's own daily cap in USD; null when the deployment's default applies (or no such user). */
export async function findUserDailyBudget(db: Db, userId: string): Promise<number | null> {
  if (!isUuid(userId)) return null;
  const row = await db.selectFrom('users').select('daily_budget_usd').where('id', '=', userId).executeTakeFirst();
  return row?.daily_budget_usd ?? null;
}

/** Locks the user's row until the transaction ends (serialises a user's budget checks and admissions). */
export async function lockUser(db: Db, userId: string): Promise<void> {
  if (!isUuid(userId)) return;
  await db.selectFrom('users').select('id').where('id', '=', userId).forUpdate().executeTakeFirst();
}
