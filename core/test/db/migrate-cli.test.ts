import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../../migrations/index.js';
import { openDatabase } from '../../src/db/connect.js';
import type { Database } from '../../src/db/schema.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const CLI = join(ROOT, 'core/src/db/migrate-cli.ts');
/** Every registered migration, in the order a fresh database gets them. */
const APPLIED = `(applied: ${Object.keys(migrations).sort().join(', ')})`;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function runMigrate(env: Record<string, string>): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      TSX,
      [CLI],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

async function tableNames(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public'`.execute(db);
  return rows.map((row) => row.table_name);
}

describe('npm run migrate', () => {
  let dataDir: string;
  let postgres: TestDatabase;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'reelsmith-migrate-cli-'));
    postgres = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await postgres?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('migrates the Postgres database named by DATABASE_URL, then reports it up to date', async () => {
    const env = { DATABASE_URL: postgres.url, DATA_DIR: dataDir };
    const first = await runMigrate(env);

    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toBe(`Migrated postgres at postgres://postgres@127.0.0.1:5432/${postgres.name} ${APPLIED}\n`);
    expect(await tableNames(postgres.db)).toEqual(expect.arrayContaining(['videos', 'ledger', 'predictions']));

    const second = await runMigrate(env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/\(already up to date\)\n$/);
  });

  it('creates and migrates PGlite under DATA_DIR when DATABASE_URL is unset', async () => {
    const result = await runMigrate({ DATA_DIR: dataDir });

    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(`Migrated pglite at ${join(dataDir, 'pglite')} ${APPLIED}\n`);
    expect((await stat(join(dataDir, 'pglite', 'PG_VERSION'))).isFile()).toBe(true);
    const opened = await openDatabase({ dataDir });
    try {
      expect(await tableNames(opened.db)).toEqual(expect.arrayContaining(['videos', 'users', 'takes']));
    } finally {
      await opened.close();
    }
  });

  it('exits 1 with one line on stderr, without the password, when the database is unreachable', async () => {
    const result = await runMigrate({ DATABASE_URL: 'postgres://postgres:s3cret-pw@127.0.0.1:1/x', DATA_DIR: dataDir });

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^Cannot reach the database at postgres:\/\/postgres@127\.0\.0\.1:1\/x: .+\n$/);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toContain('s3cret-pw');
  });

  it('adds the stack trace to stderr only with LOG_LEVEL=debug', async () => {
    const result = await runMigrate({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'debug',
    });

    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')[0]).toMatch(/^Cannot reach the database at/);
    expect(result.stderr).toMatch(/ECONNREFUSED[\s\S]*"stack"/);
  });
});
