import { type Kysely, type Migration, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no app schema (kysely docs).
type AnyDb = Kysely<any>;

/**
 * The brand library: assets get a name, tags, a caption, a thumbnail key and a full-text search
 * vector, and a table of embeddings, one row per (asset, embedding model), so switching embedding
 * providers never mixes two vector spaces.
 *
 * Vectors: where the `vector` extension is available (PGlite with pgvector, a pgvector Postgres
 * image) it is created and `embedding` is a pgvector `vector` (no fixed dimension, so one column
 * holds every model's vectors); each model gets a partial HNSW index over
 * `embedding::vector(dims)` (HNSW needs a fixed dimension; a partial expression index per model
 * keeps one table instead of one typed column per model). Where it is not (Debian's Postgres), the
 * migration falls back to `real[]` and cosine is computed in SQL by the application, with a
 * `sign_bits` column (one bit per dimension: positive or not) whose Hamming distance picks the
 * candidates that are then ranked exactly; the app reads the column's type to know which path
 * this database took.
 *
 * Existing assets are backfilled: name = file name without its extension (character references:
 * their description and number), caption = a character reference's description. Thumbnails and embeddings of
 * existing assets are made lazily by the application.
 */

/** The embedding models shipped when this migration was written, with their dimensions. */
const SHIPPED_MODELS: ReadonlyArray<{ model: string; dimensions: number; slug: string }> = [
  { model: 'reelsmith/perceptual-rgb8x8', dimensions: 192, slug: 'reelsmith_perceptual_rgb8x8' },
  { model: 'andreasjansson/clip-features', dimensions: 768, slug: 'andreasjansson_clip_features' },
];

export const m0005_brand_library: Migration = {
  async up(db: AnyDb) {
    await addLibraryColumns(db);
    await allowEmbeddingLedgerKind(db);
    await addSearchVector(db);
    const pgvector = await createVectorExtension(db);
    await createEmbeddings(db, pgvector);
  },
  async down(db: AnyDb) {
    await db.schema.dropTable('asset_embeddings').execute();
    await sql`drop trigger if exists assets_search_vector_trigger on assets`.execute(db);
    await sql`drop function if exists assets_search_vector()`.execute(db);
    await db.schema.dropIndex('assets_search_vector_idx').execute();
    await db.schema.dropIndex('assets_tags_idx').execute();
    for (const column of ['search_vector', 'thumbnail_key', 'caption', 'tags', 'name']) {
      await db.schema.alterTable('assets').dropColumn(column).execute();
    }
  },
};

/** Embedding calls (CLIP on Replicate) are recorded in the ledger like every paid call. */
async function allowEmbeddingLedgerKind(db: AnyDb): Promise<void> {
  await sql`alter table ledger drop constraint ledger_kind_check`.execute(db);
  await sql`
    alter table ledger add constraint ledger_kind_check
    check (kind in ('image', 'video', 'music', 'lipsync', 'llm', 'embedding'))
  `.execute(db);
}

async function addLibraryColumns(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('assets')
    .addColumn('name', 'text')
    .addColumn('tags', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('caption', 'text')
    .addColumn('thumbnail_key', 'text')
    .execute();
  await sql`
    update assets set
      name = left(coalesce(
        case when kind = 'character_reference' then
          left(nullif(btrim(metadata->>'description'), ''), 90) || coalesce(' (' || ((metadata->>'index')::int + 1) || ')', '')
        end,
        nullif(regexp_replace(filename, '\\.[^.]*$', ''), ''),
        filename
      ), 100),
      caption = case when kind = 'character_reference' then nullif(btrim(metadata->>'description'), '') end
  `.execute(db);
  await sql`alter table assets alter column name set not null`.execute(db);
  await sql`alter table assets add constraint assets_name_check check (char_length(name) between 1 and 100)`.execute(
    db,
  );
  await sql`alter table assets add constraint assets_tags_check check (cardinality(tags) <= 30)`.execute(db);
  await sql`create index assets_tags_idx on assets using gin (tags)`.execute(db);
}

/**
 * `search_vector` is kept by a trigger (a generated column cannot call `array_to_string`, which is
 * not immutable): the name weighs A, tags B, the caption C; English stemming ("cans" finds "can").
 */
async function addSearchVector(db: AnyDb): Promise<void> {
  await sql`alter table assets add column search_vector tsvector`.execute(db);
  await sql`
    create function assets_search_vector() returns trigger language plpgsql as $$
    begin
      new.search_vector :=
        setweight(to_tsvector('english', coalesce(new.name, '')), 'A') ||
        setweight(to_tsvector('english', array_to_string(new.tags, ' ')), 'B') ||
        setweight(to_tsvector('english', coalesce(new.caption, '')), 'C');
      return new;
    end $$
  `.execute(db);
  await sql`
    create trigger assets_search_vector_trigger before insert or update of name, tags, caption on assets
    for each row execute function assets_search_vector()
  `.execute(db);
  await sql`update assets set name = name`.execute(db);
  await sql`create index assets_search_vector_idx on assets using gin (search_vector)`.execute(db);
}

/** Creates pgvector when the server has it; true when `vector` is usable afterwards. */
async function createVectorExtension(db: AnyDb): Promise<boolean> {
  const { rows } = await sql<{ available: boolean }>`
    select exists (select 1 from pg_available_extensions where name = 'vector') as available
  `.execute(db);
  if (!rows[0]?.available) return false;
  // A role that may not create it (managed Postgres without the grant) falls back like a server without it.
  await sql`savepoint create_vector`.execute(db);
  try {
    await sql`create extension if not exists vector`.execute(db);
    await sql`release savepoint create_vector`.execute(db);
    return true;
  } catch {
    await sql`rollback to savepoint create_vector`.execute(db);
    return false;
  }
}

async function createEmbeddings(db: AnyDb, pgvector: boolean): Promise<void> {
  await db.schema
    .createTable('asset_embeddings')
    .addColumn('asset_id', 'uuid', (col) => col.notNull().references('assets.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id'))
    .addColumn('model', 'text', (col) => col.notNull())
    .addColumn('dimensions', 'integer', (col) => col.notNull().check(sql`dimensions between 1 and 4096`))
    .addColumn('embedding', pgvector ? sql`vector` : sql`real[]`, (col) => col.notNull())
    .$call((table) => (pgvector ? table : table.addColumn('sign_bits', sql`bit varying`, (col) => col.notNull())))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('asset_embeddings_pkey', ['asset_id', 'model'])
    .addCheckConstraint(
      'asset_embeddings_embedding_dims_check',
      pgvector ? sql`vector_dims(embedding) = dimensions` : sql`cardinality(embedding) = dimensions`,
    )
    .execute();
  await db.schema
    .createIndex('asset_embeddings_user_model_idx')
    .on('asset_embeddings')
    .columns(['user_id', 'model'])
    .execute();
  if (!pgvector) return;
  for (const { model, dimensions, slug } of SHIPPED_MODELS) {
    await sql`
      create index ${sql.id(`asset_embeddings_hnsw_${slug}`)} on asset_embeddings
      using hnsw ((embedding::vector(${sql.raw(String(dimensions))})) vector_cosine_ops)
      where model = ${sql.lit(model)}
    `.execute(db);
  }
}
