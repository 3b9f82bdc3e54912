import { type Kysely, type Migration, Migrator } from 'kysely';
import { migrations as registeredMigrations } from '../../../migrations/index.js';
import { PermanentError } from '../errors.js';
import type { Database } from './schema.js';

export interface MigrateOptions {
  /** The migrations to apply, by name (names sort in run order). Default: `migrations/index.ts`. */
  migrations?: Record<string, Migration>;
}

export interface MigrateResult {
  /** Names of the migrations applied by this call, in order; empty when already up to date. */
  applied: string[];
}

/**
 * Applies every pending migration. Safe to run concurrently (kysely takes an advisory lock) and
 * repeatedly (applied ones are skipped). All pending migrations run in one transaction: when one
 * fails, nothing from this call stays applied.
 * @throws PermanentError naming the failed migration, with the database error as `cause`.
 */
export async function migrateToLatest(db: Kysely<Database>, options: MigrateOptions = {}): Promise<MigrateResult> {
  const migrations = options.migrations ?? registeredMigrations;
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error');
    const what = failed ? `Migration ${failed.migrationName} failed` : 'Migrating the database failed';
    throw new PermanentError(`${what}: ${messageOf(error)}`, { cause: error });
  }
  return { applied: results.filter((result) => result.status === 'Success').map((result) => result.migrationName) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
