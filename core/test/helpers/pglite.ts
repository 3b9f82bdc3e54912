import type { Kysely } from 'kysely';
import { IN_MEMORY, openPglite } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';

export interface MemoryDatabase {
  db: Kysely<Database>;
  /** Closes the in-memory PGlite instance; its data is gone. Idempotent. */
  drop(): Promise<void>;
}

/** An in-memory PGlite database (fresh for each call), migrated unless `migrate: false`. */
export async function createMemoryDatabase(options: { migrate?: boolean } = {}): Promise<MemoryDatabase> {
  const { db, close } = await openPglite(IN_MEMORY);
  try {
    if (options.migrate ?? true) await migrateToLatest(db);
  } catch (error) {
    await close();
    throw error;
  }
  return { db, drop: close };
}
