import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { openPostgres } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';

/** The server tests create their databases on. Override with TEST_DATABASE_URL (any database the user may CREATE DATABASE from). */
export const ADMIN_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** URL of the fresh database (hand it to child processes as DATABASE_URL). */
  url: string;
  name: string;
  db: Kysely<Database>;
  /** Closes `db` and drops the database (WITH (FORCE), so stray connections do not block it). Idempotent. */
  drop(): Promise<void>;
}

export interface CreateTestDatabaseOptions {
  /** Apply every migration before returning. Default true. */
  migrate?: boolean;
}

/**
 * Creates an empty database `reelsmith_test_<random>` on the real Postgres server, opened through
 * the application's own connection code. Call `drop()` in `afterAll`/`afterEach`.
 */
export async function createTestDatabase(options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const name = `reelsmith_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient((client) => client.query(`create database "${name}"`));
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  let closeDb: () => Promise<void> = async () => {};
  let dropped: Promise<void> | undefined;
  const drop = () => {
    dropped ??= (async () => {
      await closeDb();
      await withAdminClient((client) => client.query(`drop database if exists "${name}" with (force)`));
    })();
    return dropped;
  };
  try {
    const { db, close } = await openPostgres(url.toString());
    closeDb = close;
    if (options.migrate ?? true) await migrateToLatest(db);
    return { url: url.toString(), name, db, drop };
  } catch (error) {
    await drop();
    throw error;
  }
}

/** Drops a database created outside createTestDatabase (e.g. by a child process test). */
export async function dropDatabase(name: string): Promise<void> {
  await withAdminClient((client) => client.query(`drop database if exists "${name}" with (force)`));
}

async function withAdminClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
