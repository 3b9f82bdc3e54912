import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { embeddingIndexName, nearestAssets, type VectorPath, vectorPathOf } from '../core/src/db/asset-embeddings.js';
import { IN_MEMORY, openPglite } from '../core/src/db/connect.js';
import { migrateToLatest } from '../core/src/db/migrate.js';
import type { Database } from '../core/src/db/schema.js';
import { createTestDatabase } from '../core/test/helpers/postgres.js';

/**
 * Asset similarity search: latency (p50, p95 of QUERIES searches, top 20) at 1 000 and 10 000
 * assets per user, with a second user owning as many (the owner filter is real), CLIP-sized
 * vectors (768 dims), on both vector paths in the same run: PGlite with pgvector (HNSW and the
 * exact scan of the owner's rows) and Postgres with `real[]` (sign-bit candidates ranked exactly, and
 * the exact scan). Vectors come in clusters of 50 (many shots of one product); each query is a new
 * shot near a cluster. Also recall@20 of the approximate searches against the exact answer, the
 * HNSW bulk build time, and bytes per stored embedding (the vector, and its share of table and indexes).
 */
const SIZES = [1_000, 10_000];
const DIMS = 768;
const QUERIES = 30;
const LIMIT = 20;
const MODEL = 'andreasjansson/clip-features';

type Db = Kysely<Database>;

/** Fresh rows for two users; vector indexes are dropped first (the caller builds HNSW in bulk, as a backfill would). */
async function seed(db: Db, perUser: number): Promise<string> {
  await sql`truncate asset_embeddings, assets cascade`.execute(db);
  for (const model of ['reelsmith/perceptual-rgb8x8', MODEL]) {
    await sql`drop index if exists ${sql.id(embeddingIndexName(model))}`.execute(db);
  }
  const users: string[] = [];
  for (const who of ['owner', 'other']) {
    const { rows } = await sql<{ id: string }>`
      insert into users (platform, platform_user_id) values ('cli', ${`bench-${who}-${randomUUID()}`}) returning id`.execute(
      db,
    );
    users.push((rows[0] as { id: string }).id);
  }
  const path = await vectorPathOf(db);
  for (const userId of users) {
    for (let done = 0; done < perUser; done += 1000) await insertInJs(db, path, userId, Math.min(1000, perUser - done));
  }
  await sql`analyze asset_embeddings`.execute(db);
  return users[0] as string;
}

/**
 * Unit vectors in clusters of CLUSTER (a brand library holds many shots of the same products):
 * each is its cluster's centre plus noise, members of one cluster at cosine ≈ 0.8 to each other.
 */
const CLUSTER = 50;
const NOISE = 0.5 / Math.sqrt(DIMS);
let centres: number[][] = [];
const counters = new Map<string, number>();

function clustered(index: number): number[] {
  const centre = centres[Math.floor(index / CLUSTER) % centres.length] as number[];
  return unitOf(centre.map((x) => x + gaussian() * NOISE));
}

function gaussian(): number {
  return Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
}

function unitOf(v: number[]): number[] {
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/** Clustered unit vectors written from JS (with their sign bits on the real[] path). */
async function insertInJs(db: Db, path: VectorPath, userId: string, n: number): Promise<void> {
  const { rows } = await sql<{ id: string }>`
    insert into assets (user_id, kind, filename, mime_type, size_bytes, sha256, storage_key, name)
    select ${userId}, 'image', 'a.png', 'image/png', 1, 'x', 'k', 'bench ' || g from generate_series(1, ${n}) as g
    returning id`.execute(db);
  const inserted = counters.get(userId) ?? 0;
  counters.set(userId, inserted + rows.length);
  for (let i = 0; i < rows.length; i += 200) {
    const batch = rows.slice(i, i + 200).map((row, j) => {
      const vector = clustered(inserted + i + j);
      const body = vector.map((x) => x.toFixed(6)).join(',');
      if (path === 'pgvector') return sql`(${row.id}, ${userId}, ${MODEL}, ${DIMS}, ${`[${body}]`}::vector)`;
      const bits = vector.map((x) => (x > 0 ? '1' : '0')).join('');
      return sql`(${row.id}, ${userId}, ${MODEL}, ${DIMS}, ${`{${body}}`}::real[], ${bits}::varbit)`;
    });
    const columns = path === 'pgvector' ? sql`` : sql`, sign_bits`;
    await sql`insert into asset_embeddings (asset_id, user_id, model, dimensions, embedding${columns})
      values ${sql.join(batch)}`.execute(db);
  }
}

function randomUnit(): number[] {
  return unitOf(Array.from({ length: DIMS }, gaussian));
}

async function timeSearches(
  db: Db,
  userId: string,
  queries: number[][],
  candidates?: 'all',
): Promise<{ p50: number; p95: number; ids: string[][] }> {
  const times: number[] = [];
  const ids: string[][] = [];
  await nearestAssets(db, userId, params(queries[0] as number[], candidates));
  for (const vector of queries) {
    const start = performance.now();
    const rows = await nearestAssets(db, userId, params(vector, candidates));
    times.push(performance.now() - start);
    ids.push(rows.map((row) => row.id));
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95), ids };
}

function params(vector: number[], candidates?: 'all') {
  return {
    model: MODEL,
    vector,
    excludeIds: [],
    limit: LIMIT,
    minScore: -1,
    embeddingModel: null,
    ...(candidates ? { candidates } : {}),
  };
}

function recall(found: string[][], exact: string[][]): number {
  let hit = 0;
  let all = 0;
  found.forEach((ids, i) => {
    const truth = new Set(exact[i] ?? []);
    all += truth.size;
    hit += ids.filter((id) => truth.has(id)).length;
  });
  return all === 0 ? 1 : hit / all;
}

async function bytesPerEmbedding(db: Db): Promise<{ column: number; table: number }> {
  const { rows } = await sql<{ column: number; table: number; n: number }>`
    select avg(pg_column_size(embedding))::float8 as column,
      pg_total_relation_size('asset_embeddings')::float8 as table, count(*)::float8 as n
    from asset_embeddings`.execute(db);
  const row = rows[0] as { column: number; table: number; n: number };
  return { column: row.column, table: row.table / Math.max(1, row.n) };
}

/** Progress on stderr (the bench prints its results on stdout at the end). */
const progress = (what: string) => process.stderr.write(`  search bench: ${what}\n`);

const ms = (n: number) => `${n.toFixed(1).padStart(7)} ms`;

export async function benchSearch(): Promise<string[]> {
  const lines = [`asset similarity search (top ${LIMIT}, ${DIMS}-dim vectors, ${QUERIES} queries, 2 users)`];
  const pglite = await openPglite(IN_MEMORY);
  const postgres = await createTestDatabase({ migrate: false });
  try {
    await migrateToLatest(pglite.db);
    await migrateToLatest(postgres.db);
    const hnsw = embeddingIndexName(MODEL);
    for (const perUser of SIZES) {
      centres = Array.from({ length: Math.ceil(perUser / CLUSTER) }, randomUnit);
      counters.clear();
      // Each query is a new shot of one of the owner's products: near a cluster centre.
      const queries = Array.from({ length: QUERIES }, (_, i) => clustered((i * 7919) % perUser));
      const results: string[] = [`  ${perUser.toLocaleString('en')} assets per user`];

      progress(`seeding postgres with ${perUser} per user`);
      const owner = await seed(postgres.db, perUser);
      const real = await timeSearches(postgres.db, owner, queries);
      const realExact = await timeSearches(postgres.db, owner, queries, 'all');
      const realBytes = await bytesPerEmbedding(postgres.db);
      results.push(
        `    postgres real[] (sign-bit candidates, exact rank) p50 ${ms(real.p50)}  p95 ${ms(real.p95)}  recall@${LIMIT} ${recall(real.ids, realExact.ids).toFixed(3)}`,
        `    postgres real[] exact scan                       p50 ${ms(realExact.p50)}  p95 ${ms(realExact.p95)}`,
      );

      progress(`seeding pglite with ${perUser} per user`);
      counters.clear();
      const pgOwner = await seed(pglite.db, perUser);
      progress('pglite exact');
      const exact = await timeSearches(pglite.db, pgOwner, queries);
      progress('building HNSW');
      await sql`set maintenance_work_mem = '256MB'`.execute(pglite.db);
      const buildStart = performance.now();
      await sql`create index ${sql.id(hnsw)} on asset_embeddings
        using hnsw ((embedding::vector(${sql.raw(String(DIMS))})) vector_cosine_ops) where model = ${sql.lit(MODEL)}`.execute(
        pglite.db,
      );
      const buildMs = performance.now() - buildStart;
      await sql`reset maintenance_work_mem`.execute(pglite.db);
      const chosen = await timeSearches(pglite.db, pgOwner, queries);
      await sql`drop index asset_embeddings_user_model_idx`.execute(pglite.db);
      progress('pglite HNSW');
      const viaHnsw = await timeSearches(pglite.db, pgOwner, queries);
      await sql`create index asset_embeddings_user_model_idx on asset_embeddings (user_id, model)`.execute(pglite.db);
      const pgBytes = await bytesPerEmbedding(pglite.db);
      results.push(
        `    pglite pgvector exact scan of the owner's rows   p50 ${ms(exact.p50)}  p95 ${ms(exact.p95)}`,
        `    pglite pgvector as the planner picks             p50 ${ms(chosen.p50)}  p95 ${ms(chosen.p95)}`,
        `    pglite pgvector HNSW                             p50 ${ms(viaHnsw.p50)}  p95 ${ms(viaHnsw.p95)}  recall@${LIMIT} ${recall(viaHnsw.ids, exact.ids).toFixed(3)}; bulk build ${(buildMs / 1000).toFixed(1)} s`,
        `    ratios p50: real[] exact / real[] ${(realExact.p50 / real.p50).toFixed(1)}×; pgvector exact / HNSW ${(exact.p50 / viaHnsw.p50).toFixed(1)}×; real[] / pgvector HNSW ${(real.p50 / viaHnsw.p50).toFixed(1)}×`,
        `    bytes per embedding: real[] ${realBytes.column.toFixed(0)} (row + indexes ${realBytes.table.toFixed(0)}); vector ${pgBytes.column.toFixed(0)} (row + indexes incl. HNSW ${pgBytes.table.toFixed(0)})`,
      );
      lines.push(...results);
    }
  } finally {
    await pglite.close();
    await postgres.drop();
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await benchSearch()) console.log(line);
  process.exit(0);
}
