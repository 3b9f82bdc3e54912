import { sql } from 'kysely';
import { RetryableError } from '../errors.js';
import { isUuid } from './ids.js';
import type { UserRow } from './schema.js';
import type { Db } from './sql-helpers.js';

/**
 * Accounts: identities of one person linked across fronts (a Discord user, a Slack user, an MCP
 * user). An account is a head identity (`users.linked_to` null) and every identity whose
 * `linked_to` names it; an identity linked to nothing is an account of one.
 *
 * Rows keep the user id of the identity that made them (videos, assets, ledger entries, works,
 * storage keys); the repositories that check ownership scope by `accountMemberIds`, so linking
 * shows each identity the other's things and unlinking takes them away again exactly, with
 * nothing to copy back.
 *
 * Locking: the membership of an account changes only while its head's row is locked
 * (`mergeAccounts`, `detachIdentity`), and budget checks hold the same lock (`lockAccount`).
 */

/**
 * A subquery of the ids of every identity in `userId`'s account, itself included, for
 * `.where('user_id', 'in', accountMemberIds(db, userId))`. Empty for an unknown user.
 */
export function accountMemberIds(db: Db, userId: string) {
  return db
    .selectFrom('users as member')
    .innerJoin('users as self', (join) =>
      join.on((eb) =>
        eb.or([
          eb('member.id', '=', eb.fn.coalesce('self.linked_to', 'self.id')),
          eb('member.linked_to', '=', eb.fn.coalesce('self.linked_to', 'self.id')),
        ]),
      ),
    )
    .select('member.id')
    .where('self.id', '=', isUuid(userId) ? userId : '00000000-0000-0000-0000-000000000000');
}

/**
 * `accountMemberIds` as raw SQL, for queries written with the `sql` tag (asset search):
 * `` sql`… where e.user_id in (${accountMemberIdsSql(userId)})` ``. Same rows, same rule.
 */
export function accountMemberIdsSql(userId: string) {
  const self = isUuid(userId) ? userId : '00000000-0000-0000-0000-000000000000';
  return sql`select member.id from users as member join users as self
    on member.id = coalesce(self.linked_to, self.id) or member.linked_to = coalesce(self.linked_to, self.id)
    where self.id = ${self}`;
}

/** The head of `userId`'s account (itself when it is not linked); undefined for an unknown user. */
export async function findAccountHead(db: Db, userId: string): Promise<string | undefined> {
  if (!isUuid(userId)) return undefined;
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.coalesce('linked_to', 'id').as('head'))
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.head;
}

/** Every identity of `userId`'s account, oldest first (the user alone when it is not linked). */
export async function listAccountMembers(db: Db, userId: string): Promise<UserRow[]> {
  if (!isUuid(userId)) return [];
  return db
    .selectFrom('users')
    .selectAll()
    .where('id', 'in', accountMemberIds(db, userId))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * Inside a transaction: locks the head row of `userId`'s account until the transaction ends, so a
 * budget check sees a membership no link or unlink can change under it. When the account changed
 * between reading its head and getting the lock, it locks the new head instead.
 * @throws RetryableError when the account keeps changing (it does not, short of a bug).
 */
export async function lockAccount(db: Db, userId: string): Promise<void> {
  if (!isUuid(userId)) return;
  for (let attempt = 0; attempt < 5; attempt++) {
    const head = await findAccountHead(db, userId);
    if (!head) return;
    await db.selectFrom('users').select('id').where('id', '=', head).forUpdate().executeTakeFirst();
    if ((await findAccountHead(db, userId)) === head) return;
  }
  throw new RetryableError(`The account of user ${userId} kept changing while it was being locked.`);
}

/**
 * The account's daily cap in USD: the smallest cap set on any of its identities (one person gets
 * one budget, and linking never raises a cap someone set); null when none is set.
 */
export async function findAccountDailyBudget(db: Db, userId: string): Promise<number | null> {
  if (!isUuid(userId)) return null;
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.min('daily_budget_usd').as('cap'))
    .where('id', 'in', accountMemberIds(db, userId))
    .executeTakeFirst();
  return row?.cap === null || row?.cap === undefined ? null : Number(row.cap);
}

/**
 * Moves every identity of the account headed by `fromHead` into the account headed by `intoHead`.
 * The caller holds both heads' row locks (in id order) inside its transaction.
 */
export async function mergeAccounts(db: Db, intoHead: string, fromHead: string): Promise<void> {
  if (intoHead === fromHead) return;
  await db
    .updateTable('users')
    .set({ linked_to: intoHead })
    .where((eb) => eb.or([eb('id', '=', fromHead), eb('linked_to', '=', fromHead)]))
    .execute();
}

/**
 * Takes `userId` out of its account, leaving it an account of one. When it was the head, the oldest
 * remaining identity becomes the head of the others. The caller holds the head's row lock.
 */
export async function detachIdentity(db: Db, userId: string): Promise<void> {
  const members = await listAccountMembers(db, userId);
  const self = members.find((member) => member.id === userId);
  if (!self) return;
  if (self.linked_to !== null) {
    await db.updateTable('users').set({ linked_to: null }).where('id', '=', userId).execute();
    return;
  }
  const rest = members.filter((member) => member.id !== userId);
  const [newHead] = rest;
  if (!newHead) return;
  await db.updateTable('users').set({ linked_to: null }).where('id', '=', newHead.id).execute();
  await db
    .updateTable('users')
    .set({ linked_to: newHead.id })
    .where('linked_to', '=', userId)
    .where('id', '<>', newHead.id)
    .execute();
}

/** Inside a transaction: serialises every link and unlink (rare, quick), so accounts never interleave. */
export async function lockAccountChanges(db: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('reelsmith.identity_links'))`.execute(db);
}

/** Locks the rows of these heads (distinct, in id order, so two link requests never deadlock). */
export async function lockHeads(db: Db, heads: readonly string[]): Promise<void> {
  for (const head of [...new Set(heads)].sort()) {
    await db.selectFrom('users').select('id').where('id', '=', head).forUpdate().executeTakeFirst();
  }
}
