import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type pg from 'pg';
import { UserError } from '../errors.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { Database } from './schema.js';

/** `dataDir` value that keeps an embedded database in memory (tests, throwaway runs). */
export const IN_MEMORY = 'memory://';

export type DatabaseKind = 'postgres' | 'pglite';

export interface OpenDatabaseOptions {
  /** A `postgres://` URL. When unset, an embedded PGlite database is used. */
  databaseUrl?: string | undefined;
  /** Absolute directory; PGlite files live in `${dataDir}/pglite`. `memory://` keeps them in memory. */
  dataDir: string;
  /** Called when an idle pooled Postgres connection fails (the pool replaces it). Default: ignored. */
  onIdleError?: (error: Error) => void;
}

export interface OpenDatabaseResult {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** Where the data lives, safe to print: the URL without its password, or the PGlite directory. */
  location: string;
  /** Ends the pool or closes PGlite. Idempotent. */
  close(): Promise<void>;
}

const NUMERIC_OID = 1700;
const INT8_OID = 20;

/**
 * `numeric` (money, numeric(12,6)) and `bigint` (byte sizes, counts) are parsed to JS numbers on
 * both backends, so every query, aggregates included, returns numbers. Precision: exact for
 * money at this scale and for integers below 2^53.
 */
function pgTypes(types: typeof pg.types) {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === NUMERIC_OID || oid === INT8_OID
        ? Number
        : types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
}
const pgliteParsers = { [NUMERIC_OID]: Number, [INT8_OID]: Number };

/**
 * Opens the application database: Postgres when `databaseUrl` is set, else PGlite under
 * `dataDir`. Checks the database answers before returning.
 * @throws UserError `database_unreachable` naming the database (never its password).
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenDatabaseResult> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);
  return openPglite(options.dataDir);
}

/** Opens a pg pool on `url` and checks it answers. @throws UserError `database_unreachable`. */
export async function openPostgres(
  url: string,
  options: Pick<OpenDatabaseOptions, 'onIdleError'> = {},
): Promise<OpenDatabaseResult> {
  // `pg` is loaded only for Postgres, PGlite only for the embedded database: a process pays for one.
  const { default: pgModule } = await import('pg');
  const pool = new pgModule.Pool({
    connectionString: url,
    types: pgTypes(pgModule.types),
    connectionTimeoutMillis: 10_000,
  });
  pool.on('error', options.onIdleError ?? (() => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const location = describeDatabaseUrl(url);
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw new UserError('database_unreachable', `Cannot reach the database at ${location}: ${reason(error)}`, {
      cause: error,
    });
  }
  return { db, kind: 'postgres', location, close: once(() => db.destroy()) };
}

/**
 * Postgres settings for the embedded database: small buffers (8 MB shared instead of 128 MB) keep
 * a CLI process near 300 MB in all; plenty for one person's videos.
 */
const PGLITE_SETTINGS = [
  ...['-c', 'shared_buffers=8MB', '-c', 'wal_buffers=256kB', '-c', 'temp_buffers=1MB'],
  ...['-c', 'work_mem=2MB', '-c', 'maintenance_work_mem=8MB'],
];
const PGLITE_INIT_SCRIPT = fileURLToPath(new URL('./pglite-init.mjs', import.meta.url));

/**
 * Opens (creating if needed) PGlite under `${dataDir}/pglite`, or in memory for `memory://`. A new
 * directory is initialised by a short-lived child process (initdb needs several hundred MB that a
 * WASM heap never gives back) that renames it into place only when complete, then opened here.
 */
export async function openPglite(dataDir: string): Promise<OpenDatabaseResult> {
  const inMemory = dataDir.startsWith(IN_MEMORY);
  const location = inMemory ? IN_MEMORY : join(dataDir, 'pglite');
  try {
    if (!inMemory) {
      await mkdir(location, { recursive: true });
      if (!existsSync(join(location, 'PG_VERSION'))) await initPgliteDirectory(location);
    }
    const [{ PGlite }, { vector }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('@electric-sql/pglite-pgvector'),
    ]);
    const pglite = await PGlite.create(location, {
      parsers: pgliteParsers,
      // pgvector for the brand library's embeddings (migration 0005 creates the extension).
      extensions: { vector },
      startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS],
    });
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
    return { db, kind: 'pglite', location, close: once(() => db.destroy()) };
  } catch (error) {
    throw new UserError('database_unreachable', `Cannot open the embedded database at ${location}: ${reason(error)}`, {
      cause: error,
    });
  }
}

function initPgliteDirectory(location: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [PGLITE_INIT_SCRIPT, location], { timeout: 120_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`initialising the embedded database failed: ${stderr.trim() || error.message}`));
      else resolve();
    });
  });
}

/** `postgres://user:secret@host/db` → `postgres://user@host:5432/db`: safe to print and log. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username ? `${parsed.username}@` : '';
    return `${parsed.protocol}//${user}${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'the configured DATABASE_URL (not a valid URL)';
  }
}

function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0 && !error.message) return reason(error.errors[0]);
  const { message, code } = (error ?? {}) as { message?: unknown; code?: unknown };
  const text = typeof message === 'string' && message ? message : typeof code === 'string' ? code : String(error);
  return text.replace(/\s+/g, ' ').trim();
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= fn();
    return done;
  };
}
