import type { Kysely, Migration } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no app schema (kysely docs).
type AnyDb = Kysely<any>;

/**
 * Preview first, then render: a paid video made from a preview names it in `videos.preview_of`
 * (null for every other video). Deleting a preview keeps its render (the link is cleared).
 */
export const m0004_previews: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .alterTable('videos')
      .addColumn('preview_of', 'uuid', (col) => col.references('videos.id').onDelete('set null'))
      .execute();
    await db.schema.createIndex('videos_preview_of_idx').on('videos').column('preview_of').execute();
  },
  async down(db: AnyDb) {
    await db.schema.dropIndex('videos_preview_of_idx').execute();
    await db.schema.alterTable('videos').dropColumn('preview_of').execute();
  },
};
