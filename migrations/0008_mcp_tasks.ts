import { type Kysely, type Migration, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no app schema (kysely docs).
type AnyDb = Kysely<any>;

/**
 * MCP tasks (protocol 2025-11-25): a client's handle on the work one tool call started, owned by a
 * user and kept until `expires_at` (its ttl from creation). `video_id` + `work_seq` name the work the
 * task follows (`work_seq` is null when the call started none, e.g. a video left awaiting approval);
 * a call refused before any work started keeps its refusal in `error_code` / `error_message`. The
 * status is derived from the work and the video while `working`, then stored once it ends.
 * Frozen in time: the statuses are spelled out here, never imported from app code.
 */
export const m0008_mcp_tasks: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('mcp_tasks')
      .addColumn('id', 'uuid', (col) => col.primaryKey())
      .addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id').onDelete('cascade'))
      .addColumn('video_id', 'uuid', (col) => col.references('videos.id').onDelete('cascade'))
      .addColumn('verb', 'text', (col) => col.notNull())
      .addColumn('work_seq', 'integer')
      .addColumn('status', 'text', (col) => col.notNull().defaultTo('working'))
      .addColumn('status_message', 'text')
      .addColumn('error_code', 'text')
      .addColumn('error_message', 'text')
      .addColumn('ttl_ms', 'bigint')
      .addColumn('poll_interval_ms', 'integer', (col) => col.notNull())
      .addColumn('expires_at', 'timestamptz')
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addCheckConstraint(
        'mcp_tasks_status_check',
        sql`status in (${sql.join(['working', 'completed', 'failed', 'cancelled'].map((s) => sql.lit(s)))})`,
      )
      .addCheckConstraint('mcp_tasks_video_or_refusal_check', sql`video_id is not null or error_code is not null`)
      .execute();
    await sql`create index mcp_tasks_user_created_idx on mcp_tasks (user_id, created_at desc, id desc)`.execute(db);
    await sql`create index mcp_tasks_expires_at_idx on mcp_tasks (expires_at) where expires_at is not null`.execute(db);
    await db.schema.createIndex('mcp_tasks_video_id_idx').on('mcp_tasks').column('video_id').execute();
    await sql`
      create trigger mcp_tasks_set_updated_at before update on mcp_tasks
      for each row execute function set_updated_at()`.execute(db);
  },
  async down(db: AnyDb) {
    await db.schema.dropTable('mcp_tasks').execute();
  },
};
