import type { LinkCodeRow } from './schema.js';
import type { Db } from './sql-helpers.js';

/**
 * Records a new code of `userId` (its hash only). Returns undefined when the hash is taken (a
 * collision in 2^40: the caller draws another code).
 */
export async function insertLinkCode(
  db: Db,
  row: { userId: string; codeHash: string; expiresAt: Date },
): Promise<LinkCodeRow | undefined> {
  return db
    .insertInto('link_codes')
    .values({ user_id: row.userId, code_hash: row.codeHash, expires_at: row.expiresAt })
    .onConflict((oc) => oc.column('code_hash').doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Ends every unused code `userId` made before (a new code replaces them): they read as expired from now on. */
export async function supersedeLinkCodes(db: Db, userId: string, now: Date): Promise<void> {
  await db
    .updateTable('link_codes')
    .set({ expires_at: now })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .execute();
}

/** The code with this hash, its row locked until the transaction ends (so two consumers take turns). */
export async function findLinkCodeForUpdate(db: Db, codeHash: string): Promise<LinkCodeRow | undefined> {
  return db.selectFrom('link_codes').selectAll().where('code_hash', '=', codeHash).forUpdate().executeTakeFirst();
}

/** Marks the code used by `userId`, only if it is still unused: false when another consumer won. */
export async function consumeLinkCode(db: Db, id: string, userId: string, now: Date): Promise<boolean> {
  const used = await db
    .updateTable('link_codes')
    .set({ used_at: now, used_by: userId })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return used !== undefined;
}

/** Records a wrong, expired or used code entered by `userId`. */
export async function insertLinkAttempt(db: Db, userId: string, at: Date): Promise<void> {
  await db.insertInto('link_attempts').values({ user_id: userId, at }).execute();
}

/** How many wrong codes `userId` entered since `since`. */
export async function countLinkAttemptsSince(db: Db, userId: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('link_attempts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Forgets codes that ended and attempts made before `before` (they can no longer matter). */
export async function pruneLinkCodes(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('link_codes').where('expires_at', '<', before).execute();
  await db.deleteFrom('link_attempts').where('at', '<', before).execute();
}
