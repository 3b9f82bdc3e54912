import type { Kysely, Transaction } from 'kysely';
import { sumSpendForUserSince } from '../db/ledger.js';
import type { Database } from '../db/schema.js';
import type { Db } from '../db/sql-helpers.js';
import { findUserDailyBudget, lockUser } from '../db/users.js';
import { UserError } from '../errors.js';

/** The start of the current UTC day: budgets are per user per UTC day. */
export function startOfUtcDay(now: Date = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** A user's daily cap: their own when set, else the configured default; undefined = no cap. */
export async function dailyCapFor(db: Db, userId: string, defaultUsd: number | undefined): Promise<number | undefined> {
  return (await findUserDailyBudget(db, userId)) ?? defaultUsd;
}

/**
 * Inside a transaction that holds the user's row lock: refuses `costUsd` when it would take the
 * user's spend today (actual costs, else estimates, of every ledger entry) over the cap.
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

/** Runs `fn` holding the user's row lock, so concurrent budget checks of one user are serialised. */
export async function withUserLock<T>(
  db: Kysely<Database>,
  userId: string,
  fn: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await lockUser(trx, userId);
    return fn(trx);
  });
}
