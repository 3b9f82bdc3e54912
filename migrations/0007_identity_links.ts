import { type Kysely, type Migration, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no app schema (kysely docs).
type AnyDb = Kysely<any>;

/**
 * One identity across fronts (issue 12, item 5).
 *
 * - `users.linked_to`: the head of the identity's account. Null means the identity is a head (alone,
 *   or with others linked to it); a linked identity points at its head directly, never at another
 *   linked identity (one level, so an account is "the head and every row pointing at it"). Rows
 *   (videos, assets, ledger, works) keep the user id that made them; reads are scoped by the account,
 *   so unlinking is exact.
 * - `link_codes`: one-time codes, stored only as a SHA-256 hash, with their expiry and who used them.
 * - `link_attempts`: wrong codes entered, per identity, for the rate limit.
 * (0005 and 0006 are reserved by other branches; the migrator applies names in order.)
 */
export const m0007_identity_links: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .alterTable('users')
      .addColumn('linked_to', 'uuid', (col) => col.references('users.id'))
      .execute();
    await db.schema
      .alterTable('users')
      .addCheckConstraint('users_linked_to_other_check', sql`linked_to <> id`)
      .execute();
    await db.schema.createIndex('users_linked_to_idx').on('users').column('linked_to').execute();

    await db.schema
      .createTable('link_codes')
      .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn('code_hash', 'text', (col) => col.notNull())
      .addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id'))
      .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
      .addColumn('used_at', 'timestamptz')
      .addColumn('used_by', 'uuid', (col) => col.references('users.id'))
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addUniqueConstraint('link_codes_code_hash_key', ['code_hash'])
      .execute();
    await db.schema.createIndex('link_codes_user_id_idx').on('link_codes').column('user_id').execute();
    await db.schema.createIndex('link_codes_expires_at_idx').on('link_codes').column('expires_at').execute();

    await db.schema
      .createTable('link_attempts')
      .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id'))
      .addColumn('at', 'timestamptz', (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex('link_attempts_user_id_at_idx')
      .on('link_attempts')
      .columns(['user_id', 'at'])
      .execute();
  },
  async down(db: AnyDb) {
    await db.schema.dropTable('link_attempts').execute();
    await db.schema.dropTable('link_codes').execute();
    await db.schema.dropIndex('users_linked_to_idx').execute();
    await db.schema.alterTable('users').dropConstraint('users_linked_to_other_check').execute();
    await db.schema.alterTable('users').dropColumn('linked_to').execute();
  },
};
