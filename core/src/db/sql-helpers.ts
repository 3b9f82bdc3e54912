import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Database } from './schema.js';

/** A database handle: the pool-backed `Kysely` or an open transaction. */
export type Db = Kysely<Database> | Transaction<Database>;

type Jsonb<T> = T extends undefined ? undefined : T extends null ? null : RawBuilder<T>;

/**
 * Encodes a value for a jsonb column; `null` / `undefined` pass through (SQL NULL / column default).
 * Needed because `pg` sends JS arrays as Postgres array literals, not JSON.
 */
export function jsonb<T>(value: T): Jsonb<T> {
  if (value === undefined || value === null) return value as Jsonb<T>;
  return sql<T>`cast(${JSON.stringify(value)} as jsonb)` as Jsonb<T>;
}

/** Runs `fn` in `db`'s transaction when it already is one, else in a new transaction. */
export async function inTransaction<T>(db: Db, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<Database>);
  return db.transaction().execute(fn);
}
