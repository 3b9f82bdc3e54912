import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { createMemoryDatabase } from './pglite.js';
import { createTestDatabase } from './postgres.js';

export interface DisposableDatabase {
  db: Kysely<Database>;
  drop(): Promise<void>;
}

export interface TestBackend {
  name: 'postgres' | 'pglite';
  create(options?: { migrate?: boolean }): Promise<DisposableDatabase>;
}

/** Both backends, for `describe.each(TEST_BACKENDS)('… on $name', …)`: the same suite must pass on each. */
export const TEST_BACKENDS: readonly TestBackend[] = [
  { name: 'postgres', create: (options) => createTestDatabase(options) },
  { name: 'pglite', create: (options) => createMemoryDatabase(options) },
];
