import { type Kysely, type Migration, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no app schema (kysely docs).
type AnyDb = Kysely<any>;

/**
 * The pipeline as data: `works` (one request a runner executes: create, regenerate, lipsync,
 * restitch, character references), `steps` (the stored outcome of every node of a work's graph,
 * keyed by its step key) and `events` (every progress event, with a stable id, for any process and
 * for the fronts' notification queues). Also: a step key can be reserved in the ledger only once,
 * a stitch records the step that made its take (a re-run finds it), clip versions keep their media
 * facts (so a stitch need not probe), and videos keep their progress details (queue position, ETA).
 * Frozen in time: enumerations are spelled out here, never imported from app code.
 */

function oneOf(column: string, values: readonly string[]) {
  return sql`${sql.ref(column)} in (${sql.join(values.map((value) => sql.lit(value)))})`;
}

async function createWorks(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('works')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id'))
    .addColumn('video_id', 'uuid', (col) => col.references('videos.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (col) => col.notNull().check(sql`seq >= 1`))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('waiting'))
    .addColumn('runner', 'text', (col) => col.notNull())
    .addColumn('runner_id', 'text')
    .addColumn('params', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'works_kind_check',
      oneOf('kind', ['create', 'regenerate', 'lipsync', 'restitch', 'character_references']),
    )
    .addCheckConstraint(
      'works_status_check',
      oneOf('status', ['waiting', 'running', 'succeeded', 'failed', 'cancelled']),
    )
    .addCheckConstraint('works_runner_check', oneOf('runner', ['inline', 'queue']))
    .execute();
  await sql`create unique index works_video_seq_key on works (video_id, seq) where video_id is not null`.execute(db);
  await db.schema.createIndex('works_status_runner_idx').on('works').columns(['status', 'runner']).execute();
  await db.schema
    .createIndex('works_user_status_created_idx')
    .on('works')
    .columns(['user_id', 'status', 'created_at'])
    .execute();
}

async function createSteps(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('steps')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('work_id', 'uuid', (col) => col.notNull().references('works.id').onDelete('cascade'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('queued'))
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('runner_id', 'text')
    .addColumn('output', 'jsonb')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('steps_status_check', oneOf('status', ['queued', 'running', 'succeeded', 'failed', 'skipped']))
    .execute();
  await db.schema.createIndex('steps_work_id_idx').on('steps').column('work_id').execute();
}

async function createEvents(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('video_id', 'uuid', (col) => col.notNull().references('videos.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (col) => col.notNull().check(sql`seq >= 1`))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('payload', 'jsonb', (col) => col.notNull())
    .addColumn('notify_queue', 'text')
    .addColumn('queued_at', 'timestamptz')
    .addColumn('notified_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('events_video_seq_key', ['video_id', 'seq'])
    .execute();
  await sql`create index events_unqueued_idx on events (created_at) where notify_queue is not null and queued_at is null`.execute(
    db,
  );
}

async function alterExisting(db: AnyDb): Promise<void> {
  await db.schema.createIndex('ledger_step_key_key').on('ledger').column('step_key').unique().execute();
  await db.schema.alterTable('takes').addColumn('step_key', 'text').execute();
  await db.schema.createIndex('takes_step_key_key').on('takes').column('step_key').unique().execute();
  await db.schema.alterTable('clip_versions').addColumn('media', 'jsonb').execute();
  await db.schema
    .alterTable('videos')
    .addColumn('progress_detail', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  for (const table of ['works', 'steps']) {
    await sql`
      create trigger ${sql.id(`${table}_set_updated_at`)} before update on ${sql.table(table)}
      for each row execute function set_updated_at()`.execute(db);
  }
}

export const m0002_work_graph: Migration = {
  async up(db) {
    await createWorks(db);
    await createSteps(db);
    await createEvents(db);
    await alterExisting(db);
  },
};
