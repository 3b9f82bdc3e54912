import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, type Migration, sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../../migrations/index.js';
import { openDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { PermanentError, UserError } from '../../src/errors.js';
import { type DisposableDatabase, TEST_BACKENDS } from '../helpers/databases.js';

/** Every registered migration, in the order they run (names sort in that order). */
const EVERY_MIGRATION = Object.keys(migrations).sort();

const TABLES = [
  'asset_embeddings',
  'assets',
  'clip_versions',
  'events',
  'ledger',
  'link_attempts',
  'link_codes',
  'mcp_tasks',
  'predictions',
  'scenes',
  'steps',
  'takes',
  'users',
  'videos',
  'works',
];

const INDEXES = [
  'users_platform_user_key',
  'videos_user_idempotency_key',
  'videos_user_id_status_idx',
  'videos_status_created_at_idx',
  'scenes_video_index_key',
  'clip_versions_scene_version_key',
  'takes_video_number_key',
  'assets_user_id_created_at_idx',
  'predictions_provider_external_id_key',
  'predictions_input_hash_idx',
  'predictions_step_key_idx',
  'ledger_user_id_created_at_idx',
  'ledger_video_id_idx',
  'ledger_step_key_key',
  'takes_step_key_key',
  'works_video_seq_key',
  'works_status_runner_idx',
  'steps_work_id_idx',
  'events_video_seq_key',
  'events_unqueued_idx',
  'users_linked_to_idx',
  'link_codes_code_hash_key',
  'link_codes_user_id_idx',
  'link_codes_expires_at_idx',
  'link_attempts_user_id_at_idx',
  'mcp_tasks_user_created_idx',
  'mcp_tasks_expires_at_idx',
  'mcp_tasks_video_id_idx',
];

const UNIQUE_CONSTRAINTS = [
  'clip_versions_scene_version_key',
  'events_video_seq_key',
  'link_codes_code_hash_key',
  'predictions_provider_external_id_key',
  'scenes_video_index_key',
  'takes_video_number_key',
  'users_platform_user_key',
  'videos_user_idempotency_key',
];

async function publicTables(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(db);
  return rows.map((row) => row.table_name);
}

describe.each(TEST_BACKENDS)('migrations on $name', (backend) => {
  let handle: DisposableDatabase | undefined;

  afterEach(async () => {
    await handle?.drop();
    handle = undefined;
  });

  it('creates every table, index and unique constraint, and applies nothing on a second run', async () => {
    handle = await backend.create({ migrate: false });
    const { db } = handle;

    expect(await migrateToLatest(db)).toEqual({ applied: EVERY_MIGRATION });
    expect(await publicTables(db)).toEqual(expect.arrayContaining(TABLES));

    const indexes = await sql<{ indexname: string }>`
      select indexname from pg_indexes where schemaname = 'public'`.execute(db);
    expect(indexes.rows.map((row) => row.indexname)).toEqual(expect.arrayContaining(INDEXES));

    const uniques = await sql<{ constraint_name: string }>`
      select constraint_name from information_schema.table_constraints
      where table_schema = 'public' and constraint_type = 'UNIQUE' order by constraint_name`.execute(db);
    expect(uniques.rows.map((row) => row.constraint_name)).toEqual(UNIQUE_CONSTRAINTS);

    expect(await migrateToLatest(db)).toEqual({ applied: [] });
  });

  it('rejects a status outside the enumeration with a check constraint', async () => {
    handle = await backend.create();
    const { db } = handle;
    const user = await db
      .insertInto('users')
      .values({ platform: 'cli', platform_user_id: 'checks' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const insert = (status: string) =>
      sql`insert into videos (user_id, mode, status, prompt, duration_s, model_key, provider)
          values (${user.id}, 'ad', ${status}, 'p', 10, 'hailuo', 'animatic')`.execute(db);
    await expect(insert('bogus')).rejects.toMatchObject({ code: '23514' });
    await expect(insert('queued')).resolves.toBeDefined();
  });

  it('rolls back a failing migration entirely and names it', async () => {
    handle = await backend.create();
    const { db } = handle;
    const broken: Migration = {
      async up(trx) {
        await sql`create table half_applied (id int)`.execute(trx);
        await sql`select * from table_that_does_not_exist`.execute(trx);
      },
    };

    const failure = await migrateToLatest(db, { migrations: { ...migrations, '9999_broken': broken } }).catch(
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(PermanentError);
    expect((failure as Error).message).toMatch(/^Migration 9999_broken failed: .*table_that_does_not_exist/);
    expect((failure as Error).cause).toMatchObject({ code: '42P01' });
    expect(await publicTables(db)).not.toContain('half_applied');
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    expect(applied.rows.map((row) => row.name)).toEqual(EVERY_MIGRATION);
  });

  it('rolls back every migration of the run when a later one fails', async () => {
    handle = await backend.create({ migrate: false });
    const { db } = handle;
    const broken: Migration = {
      async up(trx) {
        await sql`select 1 / 0`.execute(trx);
      },
    };

    await expect(migrateToLatest(db, { migrations: { ...migrations, '9999_broken': broken } })).rejects.toThrow(
      /Migration 9999_broken failed/,
    );
    expect(await publicTables(db)).not.toContain('videos');
    expect(await migrateToLatest(db)).toEqual({ applied: EVERY_MIGRATION });
  });
});

describe('an unreachable database', () => {
  it('fails with one clear message naming host, port and database but not the password', async () => {
    const failure = await openDatabase({
      databaseUrl: 'postgres://reel:s3cret-pw@127.0.0.1:1/reelsmith',
      dataDir: '/nonexistent',
    }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(UserError);
    expect(failure).toMatchObject({ code: 'database_unreachable' });
    const message = (failure as Error).message;
    expect(message).toMatch(
      /^Cannot reach the database at postgres:\/\/reel@127\.0\.0\.1:1\/reelsmith: .*ECONNREFUSED/,
    );
    expect(message).not.toContain('s3cret-pw');
    expect(message).not.toContain('\n');
  });
});

describe('the embedded database on disk', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reelsmith-pglite-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps its data across a close and reopen under dataDir/pglite', async () => {
    const first = await openDatabase({ dataDir: dir });
    expect(first).toMatchObject({ kind: 'pglite', location: join(dir, 'pglite') });
    await migrateToLatest(first.db);
    await first.db.insertInto('users').values({ platform: 'cli', platform_user_id: 'persisted' }).execute();
    await first.close();

    const second = await openDatabase({ dataDir: dir });
    try {
      expect(await migrateToLatest(second.db)).toEqual({ applied: [] });
      const users = await second.db.selectFrom('users').select('platform_user_id').execute();
      expect(users).toEqual([{ platform_user_id: 'persisted' }]);
    } finally {
      await second.close();
    }
  });
});
