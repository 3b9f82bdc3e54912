import { type Kysely, sql } from 'kysely';
import { accountMemberIdsSql } from './accounts.js';
import { embeddedFlag, type ScoredAssetRow } from './asset-search.js';
import { ASSET_COLUMNS } from './assets.js';
import { isUuid } from './ids.js';
import type { Database } from './schema.js';
import type { Db } from './sql-helpers.js';

/**
 * How this database stores and compares vectors, decided by migration 0005: `pgvector` when the
 * `vector` extension was there (the `embedding` column is a `vector`, compared with `<=>`, with a
 * partial HNSW index per model), `real_array` otherwise (`real[]`, cosine as a dot product of unit
 * vectors computed in SQL; candidates picked first by the Hamming distance of `sign_bits`).
 */
export type VectorPath = 'pgvector' | 'real_array';

const paths = new WeakMap<object, Promise<VectorPath>>();

/** The path this database took, read once per handle from the column's type. */
export function vectorPathOf(db: Db): Promise<VectorPath> {
  let path = paths.get(db);
  if (!path) {
    path = sql<{ udt_name: string }>`
      select udt_name from information_schema.columns
      where table_schema = current_schema() and table_name = 'asset_embeddings' and column_name = 'embedding'
    `
      .execute(db)
      .then(({ rows }) => (rows[0]?.udt_name === 'vector' ? 'pgvector' : 'real_array'));
    path.catch(() => paths.delete(db));
    paths.set(db, path);
  }
  return path;
}

/** `asset_embeddings_hnsw_{slug}`: the partial HNSW index of one model (pgvector path). */
export function embeddingIndexName(model: string): string {
  return `asset_embeddings_hnsw_${model.replace(/[^A-Za-z0-9]+/g, '_').toLowerCase()}`.slice(0, 63);
}

/**
 * Creates the partial HNSW index of `model` (`embedding::vector(dims)`, cosine) when this database
 * is on the pgvector path and lacks it; the shipped models' indexes come with migration 0005.
 * Idempotent. Returns the index name, or undefined on the `real_array` path.
 */
export async function ensureEmbeddingIndex(
  db: Kysely<Database>,
  model: string,
  dimensions: number,
): Promise<string | undefined> {
  if ((await vectorPathOf(db)) !== 'pgvector') return undefined;
  const name = embeddingIndexName(model);
  await sql`
    create index if not exists ${sql.id(name)} on asset_embeddings
    using hnsw ((embedding::vector(${sql.raw(String(dimensionsOf(dimensions)))})) vector_cosine_ops)
    where model = ${sql.lit(model)}
  `.execute(db);
  return name;
}

/** Stores (or replaces) the asset's embedding in `model`'s space; the vector is normalised first. */
export async function upsertAssetEmbedding(
  db: Db,
  row: { assetId: string; userId: string; model: string; vector: readonly number[] },
): Promise<void> {
  const path = await vectorPathOf(db);
  const vector = unit(row.vector);
  if (path === 'pgvector') {
    await sql`
      insert into asset_embeddings (asset_id, user_id, model, dimensions, embedding)
      values (${row.assetId}, ${row.userId}, ${row.model}, ${vector.length}, ${vectorLiteral(path, vector)}::vector)
      on conflict (asset_id, model) do update
        set embedding = excluded.embedding, dimensions = excluded.dimensions, created_at = now()
    `.execute(db);
    return;
  }
  await sql`
    insert into asset_embeddings (asset_id, user_id, model, dimensions, embedding, sign_bits)
    values (${row.assetId}, ${row.userId}, ${row.model}, ${vector.length}, ${vectorLiteral(path, vector)}::real[],
            ${signBits(vector)}::varbit)
    on conflict (asset_id, model) do update
      set embedding = excluded.embedding, sign_bits = excluded.sign_bits, dimensions = excluded.dimensions,
          created_at = now()
  `.execute(db);
}

/** The stored vectors of these assets of `userId`'s account in `model`'s space, by asset id (assets without one are absent). */
export async function findAssetEmbeddings(
  db: Db,
  userId: string,
  assetIds: readonly string[],
  model: string,
): Promise<Map<string, number[]>> {
  const ids = assetIds.filter(isUuid);
  if (!isUuid(userId) || ids.length === 0) return new Map();
  const { rows } = await sql<{ asset_id: string; embedding: string }>`
    select asset_id, embedding::text as embedding from asset_embeddings
    where user_id in (${accountMemberIdsSql(userId)}) and model = ${model} and asset_id = any(${`{${ids.join(',')}}`}::uuid[])
  `.execute(db);
  return new Map(rows.map((row) => [row.asset_id, parseVector(row.embedding)]));
}

export interface NearestAssetsParams {
  model: string;
  vector: readonly number[];
  /** Assets never to return (the query assets themselves). */
  excludeIds: readonly string[];
  limit: number;
  minScore: number;
  embeddingModel: string | null;
  /**
   * real[] path: how many of the owner's vectors nearest by sign bits are ranked exactly (default
   * `realArrayCandidates(limit)`); `all` ranks every one exactly (the benchmark's ground truth).
   */
  candidates?: number | 'all';
}

/** The real[] path ranks exactly this many candidates picked by sign-bit Hamming distance. */
export function realArrayCandidates(limit: number): number {
  return Math.max(400, limit * 20);
}

/**
 * The assets of the user's account (linked identities' too) nearest to `vector` in `model`'s space, best first, each with its cosine
 * similarity as `score` (only those at least `minScore`). On the pgvector path: `1 - (a <=> b)`,
 * ordered by `<=>` so the planner may walk the model's HNSW index (iterative scan on, so the
 * owner filter cannot starve the result) or scan the user's rows exactly, whichever it costs
 * lower. On the real[] path: the owner's `candidates` vectors nearest by sign-bit Hamming distance
 * (a cheap bit count per row) ranked exactly by their dot product in SQL: exact whenever the owner
 * has no more vectors than that; otherwise a match is missed only when that many of the owner's
 * vectors agree with the query in more signs than it does (a near-duplicate, cosine ≥ 0.7, differs
 * in about half as many as an unrelated picture). The benchmark measures the recall.
 */
export async function nearestAssets(
  db: Kysely<Database>,
  userId: string,
  params: NearestAssetsParams,
): Promise<ScoredAssetRow[]> {
  if (!isUuid(userId)) return [];
  const path = await vectorPathOf(db);
  const query = nearestAssetsQuery(path, userId, params);
  if (path === 'real_array') return (await query.execute(db)).rows;
  return db.transaction().execute(async (trx) => {
    await tuneVectorScan(trx, params.limit);
    return (await query.execute(trx)).rows;
  });
}

/** Session settings of a pgvector search, for the current transaction only. */
export async function tuneVectorScan(trx: Db, limit: number): Promise<void> {
  await sql`set local hnsw.iterative_scan = relaxed_order`.execute(trx);
  await sql`set local hnsw.ef_search = ${sql.raw(String(Math.max(40, Math.min(1000, limit * 2))))}`.execute(trx);
}

/** The SQL of `nearestAssets` on `path` (exported so tests and the benchmark can EXPLAIN it). */
export function nearestAssetsQuery(path: VectorPath, userId: string, params: NearestAssetsParams) {
  const vector = unit(params.vector);
  const exclude = `{${params.excludeIds.filter(isUuid).join(',')}}`;
  const columns = sql.join(ASSET_COLUMNS.map((column) => sql.ref(column)));
  const flag = embeddedFlag(params.embeddingModel);
  if (path === 'real_array') {
    const query = vectorLiteral(path, vector);
    const candidates = params.candidates ?? realArrayCandidates(params.limit);
    const nearBySigns =
      candidates === 'all'
        ? sql``
        : sql`order by bit_count(e.sign_bits # ${signBits(vector)}::varbit), e.asset_id limit ${candidates}`;
    return sql<ScoredAssetRow>`
      with candidates as (
        select e.asset_id, e.embedding from asset_embeddings e
        where e.user_id in (${accountMemberIdsSql(userId)}) and e.model = ${params.model} and e.asset_id <> all(${exclude}::uuid[])
        ${nearBySigns}
      ), scored as (
        select c.asset_id,
          (select sum(x * y) from unnest(c.embedding, ${query}::real[]) as t(x, y))::float8 as score
        from candidates c
      )
      select ${columns}, scored.score, ${flag}
      from scored join assets on assets.id = scored.asset_id
      where scored.score >= ${params.minScore}
      order by scored.score desc, assets.id
      limit ${params.limit}
    `;
  }
  const dims = sql.raw(String(dimensionsOf(vector.length)));
  const target = sql`${vectorLiteral(path, vector)}::vector(${dims})`;
  return sql<ScoredAssetRow>`
    with nearest as (
      select e.asset_id, (e.embedding::vector(${dims}) <=> ${target})::float8 as distance
      from asset_embeddings e
      where e.model = ${sql.lit(params.model)} and e.user_id in (${accountMemberIdsSql(userId)}) and e.asset_id <> all(${exclude}::uuid[])
      order by e.embedding::vector(${dims}) <=> ${target}
      limit ${params.limit}
    )
    select ${columns}, 1 - nearest.distance as score, ${flag}
    from nearest join assets on assets.id = nearest.asset_id
    where 1 - nearest.distance >= ${params.minScore}
    order by nearest.distance, assets.id
  `;
}

/** The text form each path parses: `[1,2]` for `vector`, `{1,2}` for `real[]`. */
function vectorLiteral(path: VectorPath, vector: readonly number[]): string {
  const body = vector.map((x) => (Number.isFinite(x) ? String(x) : '0')).join(',');
  return path === 'pgvector' ? `[${body}]` : `{${body}}`;
}

/** One bit per dimension, 1 where the value is positive: Hamming distance of two ≈ their angle × d / π. */
function signBits(vector: readonly number[]): string {
  return vector.map((x) => (x > 0 ? '1' : '0')).join('');
}

function parseVector(text: string): number[] {
  return text
    .replace(/^[[{]|[\]}]$/g, '')
    .split(',')
    .map(Number);
}

function unit(v: readonly number[]): number[] {
  const norm = Math.hypot(...v);
  return norm === 0 ? [...v] : v.map((x) => x / norm);
}

function dimensionsOf(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 4096) throw new RangeError(`An embedding has 1–4096 dimensions; got ${n}`);
  return n;
}
