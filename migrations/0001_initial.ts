import { type CreateTableBuilder, type Kysely, type Migration, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no app schema (kysely docs).
type AnyDb = Kysely<any>;

/**
 * The first schema: users, videos, scenes, clip versions, takes, assets, predictions, ledger.
 * Frozen in time: enumerations are spelled out here, never imported from app code.
 */

const MONEY = sql`numeric(12, 6)`;
const TABLES_WITH_UPDATED_AT = ['users', 'videos', 'scenes', 'clip_versions', 'takes', 'assets', 'predictions'];

function oneOf(column: string, values: readonly string[]) {
  return sql`${sql.ref(column)} in (${sql.join(values.map((value) => sql.lit(value)))})`;
}

function withId<T extends string, C extends string>(table: CreateTableBuilder<T, C>) {
  return table.addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`));
}

function withTimestamps<T extends string, C extends string>(table: CreateTableBuilder<T, C>) {
  return table
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`));
}

async function createUsers(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('users')
    .$call(withId)
    .addColumn('platform', 'text', (col) => col.notNull())
    .addColumn('platform_user_id', 'text', (col) => col.notNull())
    .addColumn('display_name', 'text')
    .addColumn('daily_budget_usd', MONEY, (col) => col.check(sql`daily_budget_usd >= 0`))
    .$call(withTimestamps)
    .addCheckConstraint('users_platform_check', oneOf('platform', ['discord', 'slack', 'mcp', 'cli']))
    .addUniqueConstraint('users_platform_user_key', ['platform', 'platform_user_id'])
    .execute();
}

async function createVideos(db: AnyDb): Promise<void> {
  const statuses = [
    'queued',
    'awaiting_approval',
    'planning',
    'storyboarding',
    'generating',
    'stitching',
    'scoring',
    'ready',
    'failed',
    'cancelled',
  ];
  await db.schema
    .createTable('videos')
    .$call(withId)
    .addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id'))
    .addColumn('mode', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('queued'))
    .addColumn('prompt', 'text', (col) => col.notNull())
    .addColumn('duration_s', 'integer', (col) => col.notNull().check(sql`duration_s > 0`))
    .addColumn('model_key', 'text', (col) => col.notNull())
    .addColumn('flavor', 'text', (col) => col.notNull().defaultTo('default'))
    .addColumn('provider', 'text', (col) => col.notNull())
    .addColumn('creativity', 'real', (col) =>
      col.notNull().defaultTo(0.5).check(sql`creativity >= 0 and creativity <= 1`),
    )
    .addColumn('plan', 'jsonb')
    .addColumn('options', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('origin', 'jsonb')
    .addColumn('idempotency_key', 'text')
    .addColumn('progress', 'real', (col) => col.notNull().defaultTo(0).check(sql`progress >= 0 and progress <= 100`))
    .addColumn('stage_message', 'text')
    .addColumn('current_take_id', 'uuid')
    .addColumn('music_key', 'text')
    .addColumn('final_key', 'text')
    .addColumn('contact_sheet_key', 'text')
    .addColumn('estimated_cost_usd', MONEY, (col) => col.notNull().defaultTo(0))
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('finished_at', 'timestamptz')
    .$call(withTimestamps)
    .addCheckConstraint('videos_mode_check', oneOf('mode', ['ad', 'music_video', 'image_pairs']))
    .addCheckConstraint('videos_status_check', oneOf('status', statuses))
    .addUniqueConstraint('videos_user_idempotency_key', ['user_id', 'idempotency_key'])
    .execute();
  await db.schema.createIndex('videos_user_id_status_idx').on('videos').columns(['user_id', 'status']).execute();
  await db.schema.createIndex('videos_status_created_at_idx').on('videos').columns(['status', 'created_at']).execute();
}

async function createScenes(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('scenes')
    .$call(withId)
    .addColumn('video_id', 'uuid', (col) => col.notNull().references('videos.id').onDelete('cascade'))
    .addColumn('index', 'integer', (col) => col.notNull().check(sql`"index" >= 0`))
    .addColumn('start_s', 'real', (col) => col.notNull().check(sql`start_s >= 0`))
    .addColumn('duration_s', 'real', (col) => col.notNull().check(sql`duration_s > 0`))
    .addColumn('beat_id', 'text')
    .addColumn('prompt', 'text', (col) => col.notNull())
    .addColumn('negative_prompt', 'text')
    .addColumn('direction_prompt', 'text')
    .addColumn('shot_type', 'text')
    .addColumn('camera_movement', 'text')
    .addColumn('storyboard_key', 'text')
    .addColumn('last_frame_image_key', 'text')
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('pending'))
    .addColumn('error_message', 'text')
    .$call(withTimestamps)
    .addCheckConstraint('scenes_status_check', oneOf('status', ['pending', 'generating', 'ready', 'failed']))
    .addUniqueConstraint('scenes_video_index_key', ['video_id', 'index'])
    .execute();
}

async function createClipVersions(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('clip_versions')
    .$call(withId)
    .addColumn('scene_id', 'uuid', (col) => col.notNull().references('scenes.id').onDelete('cascade'))
    .addColumn('version', 'integer', (col) => col.notNull().check(sql`version >= 1`))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('pending'))
    .addColumn('prompt', 'text', (col) => col.notNull())
    .addColumn('provider', 'text', (col) => col.notNull())
    .addColumn('model_key', 'text', (col) => col.notNull())
    .addColumn('storage_key', 'text')
    .addColumn('chunk_count', 'integer', (col) => col.notNull().check(sql`chunk_count >= 1`))
    .addColumn('duration_s', 'real')
    .addColumn('cost_usd', MONEY, (col) => col.notNull().defaultTo(0))
    .addColumn('error_message', 'text')
    .$call(withTimestamps)
    .addCheckConstraint('clip_versions_kind_check', oneOf('kind', ['generated', 'regenerated', 'lipsync']))
    .addCheckConstraint(
      'clip_versions_status_check',
      oneOf('status', ['pending', 'running', 'succeeded', 'failed', 'cancelled']),
    )
    .addUniqueConstraint('clip_versions_scene_version_key', ['scene_id', 'version'])
    .execute();
}

async function createTakes(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('takes')
    .$call(withId)
    .addColumn('video_id', 'uuid', (col) => col.notNull().references('videos.id').onDelete('cascade'))
    .addColumn('number', 'integer', (col) => col.notNull().check(sql`number >= 1`))
    .addColumn('storage_key', 'text', (col) => col.notNull())
    .addColumn('duration_s', 'real', (col) => col.notNull())
    .addColumn('clip_version_ids', sql`uuid[]`, (col) => col.notNull().defaultTo(sql`'{}'::uuid[]`))
    .addColumn('method', 'text')
    .$call(withTimestamps)
    .addUniqueConstraint('takes_video_number_key', ['video_id', 'number'])
    .execute();
  await db.schema
    .alterTable('videos')
    .addForeignKeyConstraint('videos_current_take_id_fkey', ['current_take_id'], 'takes', ['id'], (fk) =>
      fk.onDelete('set null'),
    )
    .execute();
}

async function createAssets(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('assets')
    .$call(withId)
    .addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id'))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('filename', 'text', (col) => col.notNull())
    .addColumn('mime_type', 'text', (col) => col.notNull())
    .addColumn('size_bytes', 'bigint', (col) => col.notNull().check(sql`size_bytes >= 0`))
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('duration_s', 'real')
    .addColumn('sha256', 'text', (col) => col.notNull())
    .addColumn('storage_key', 'text', (col) => col.notNull())
    .addColumn('source_url', 'text')
    .addColumn('metadata', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .$call(withTimestamps)
    .addCheckConstraint('assets_kind_check', oneOf('kind', ['image', 'audio', 'character_reference']))
    .execute();
  await db.schema
    .createIndex('assets_user_id_created_at_idx')
    .on('assets')
    .columns(['user_id', 'created_at'])
    .execute();
}

async function createPredictions(db: AnyDb): Promise<void> {
  const statuses = ['intent', 'starting', 'processing', 'succeeded', 'failed', 'canceled', 'aborted'];
  await db.schema
    .createTable('predictions')
    .$call(withId)
    .addColumn('provider', 'text', (col) => col.notNull())
    .addColumn('model', 'text', (col) => col.notNull())
    .addColumn('step_key', 'text', (col) => col.notNull())
    .addColumn('video_id', 'uuid', (col) => col.references('videos.id').onDelete('set null'))
    .addColumn('external_id', 'text')
    .addColumn('input_hash', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('intent'))
    .addColumn('input', 'jsonb', (col) => col.notNull())
    .addColumn('output', 'jsonb')
    .addColumn('output_key', 'text')
    .addColumn('error_message', 'text')
    .addColumn('predict_time_s', 'real')
    .addColumn('cost_usd', MONEY)
    .$call(withTimestamps)
    .addCheckConstraint('predictions_status_check', oneOf('status', statuses))
    .addUniqueConstraint('predictions_provider_external_id_key', ['provider', 'external_id'])
    .execute();
  await db.schema.createIndex('predictions_input_hash_idx').on('predictions').column('input_hash').execute();
  await db.schema.createIndex('predictions_step_key_idx').on('predictions').column('step_key').execute();
  await db.schema.createIndex('predictions_video_id_idx').on('predictions').column('video_id').execute();
}

async function createLedger(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('ledger')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id'))
    .addColumn('video_id', 'uuid', (col) => col.references('videos.id').onDelete('set null'))
    .addColumn('prediction_id', 'uuid', (col) => col.references('predictions.id').onDelete('set null'))
    .addColumn('step_key', 'text', (col) => col.notNull())
    .addColumn('provider', 'text', (col) => col.notNull())
    .addColumn('model_key', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('unit', 'text', (col) => col.notNull())
    .addColumn('quantity', 'real', (col) => col.notNull().check(sql`quantity >= 0`))
    .addColumn('estimated_usd', MONEY, (col) => col.notNull())
    .addColumn('actual_usd', MONEY)
    .addColumn('would_cost_usd', MONEY)
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('ledger_kind_check', oneOf('kind', ['image', 'video', 'music', 'lipsync', 'llm']))
    .addCheckConstraint('ledger_unit_check', oneOf('unit', ['run', 'second']))
    .execute();
  await db.schema
    .createIndex('ledger_user_id_created_at_idx')
    .on('ledger')
    .columns(['user_id', 'created_at'])
    .execute();
  await db.schema.createIndex('ledger_video_id_idx').on('ledger').column('video_id').execute();
}

async function createUpdatedAtTriggers(db: AnyDb): Promise<void> {
  await sql`
    create or replace function set_updated_at() returns trigger language plpgsql as $$
    begin
      new.updated_at := now();
      return new;
    end;
    $$`.execute(db);
  for (const table of TABLES_WITH_UPDATED_AT) {
    await sql`
      create trigger ${sql.id(`${table}_set_updated_at`)} before update on ${sql.table(table)}
      for each row execute function set_updated_at()`.execute(db);
  }
}

export const m0001_initial: Migration = {
  async up(db) {
    await createUsers(db);
    await createVideos(db);
    await createScenes(db);
    await createClipVersions(db);
    await createTakes(db);
    await createAssets(db);
    await createPredictions(db);
    await createLedger(db);
    await createUpdatedAtTriggers(db);
  },
};
