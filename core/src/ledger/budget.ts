import type { Kysely, Transaction } from 'kysely';
import { findAccountDailyBudget, lockAccount } from '../db/accounts.js';
import { sumSpendForUserSince } from '../db/ledger.js';
import type { Database } from '../db/schema.js';
import type { Db } from '../db/sql-helpers.js';
import { UserError } from '../errors.js';

/** The start of the current UTC day: budgets are per user per UTC day. */
export function startOfUtcDay(now: Date = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/**
 * A user's daily cap: the smallest one set on any identity of their account (linked identities are
 * one person with one budget), else the configured default; undefined = no cap.
 */
export async function dailyCapFor(db: Db, userId: string, defaultUsd: number | undefined): Promise<number | undefined> {
  return (await findAccountDailyBudget(db, userId)) ?? defaultUsd;
}

/**
 * Inside a transaction that holds the account lock (`withUserLock`): refuses `costUsd` when it would
 * take the spend today of the user's account (actual costs, else estimates, of every ledger entry of
 * the user and its linked identities) over the cap.
 * @throws UserError `budget_exceeded` with what is left.
 */
export async function assertWithinBudget(
  trx: Transaction<Database>,
  userId: string,
  costUsd: number,
  defaultCapUsd: number | undefined,
): Promise<void> {
  const cap = await dailyCapFor(trx, userId, defaultCapUsd);
  if (cap === undefined || costUsd <= 0) return;
  const spent = await sumSpendForUserSince(trx, userId, startOfUtcDay());
  if (spent + costUsd > cap + 1e-9) {
    const left = Math.max(0, cap - spent);
    throw new UserError(
      'budget_exceeded',
      `This needs about $${costUsd.toFixed(2)} but only $${left.toFixed(2)} of your $${cap.toFixed(2)} daily budget is left. It resets at 00:00 UTC.`,
      { details: { capUsd: cap, spentUsd: spent, neededUsd: costUsd } },
    );
  }
}

/**
 * Runs `fn` holding the lock of the user's account (its head's row), so concurrent budget checks of
 * one person are serialised, whichever of their linked identities asks.
 */
export async function withUserLock<T>(
  db: Kysely<Database>,
  userId: string,
  fn: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await lockAccount(trx, userId);
    return fn(trx);
  });
}
