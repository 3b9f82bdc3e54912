import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nearestAssetsQuery, tuneVectorScan, vectorPathOf } from '../../src/db/asset-embeddings.js';
import { PERCEPTUAL_MODEL } from '../../src/embeddings/perceptual.js';
import type { AssetView } from '../../src/service/asset-types.js';
import type { Owner } from '../../src/service/types.js';
import { TEST_BACKENDS } from '../helpers/databases.js';
import { nearDuplicate, picture, plantedPicture, removeFixtures, unrelatedPictures } from './fixtures.js';
import { createLibraryStack, type LibraryStack } from './library-stack.js';

const alice = { platform: 'discord', platformUserId: 'alice-search' } as const;
const bob = { platform: 'discord', platformUserId: 'bob-search' } as const;
const EXPECTED_PATH = { pglite: 'pgvector', postgres: 'real_array' } as const;

afterAll(() => removeFixtures());

describe.each(TEST_BACKENDS)('offline asset search on $name', (backend) => {
  let stack: LibraryStack;
  let planted: AssetView;
  let query: AssetView;
  let bobsCopy: AssetView;
  let bobsNamesake: AssetView;
  let bobsDuplicate: AssetView;
  let others: AssetView[];
  let styleSeeds: AssetView[];

  beforeAll(async () => {
    stack = await createLibraryStack(backend);
    const add = (owner: Owner, bytes: Uint8Array, filename: string) =>
      stack.service.addAsset(owner, { bytes, filename }, 'image');
    planted = await add(alice, plantedPicture(), 'blue-can.png');
    query = await add(alice, nearDuplicate(), 'blue-can-copy.jpg');
    others = [];
    for (const [i, bytes] of unrelatedPictures().entries()) others.push(await add(alice, bytes, `other-${i}.png`));
    styleSeeds = [
      await add(alice, picture('testsrc2', { filter: 'hue=h=40' }), 'warm.png'),
      await add(alice, picture('testsrc2', { filter: 'hue=h=-40' }), 'cool.png'),
    ];
    bobsCopy = await add(bob, plantedPicture(), 'blue-can.png');
    bobsNamesake = await add(bob, picture('mandelbrot'), 'blue energy drink can.png');
    bobsDuplicate = await add(bob, nearDuplicate(), 'copy.jpg');
    await stack.service.renameAsset(alice, planted.assetId, 'Blue energy drink can');
    await stack.service.tagAsset(alice, others[0]!.assetId, { add: ['fractal', 'energy'] });
    await stack.service.renameAsset(alice, others[1]!.assetId, 'Colour bars');
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
  });

  it(`stores vectors on the ${EXPECTED_PATH[backend.name]} path`, async () => {
    expect(await vectorPathOf(stack.database.db)).toBe(EXPECTED_PATH[backend.name]);
  });

  it('ranks the planted near-duplicate first by image similarity, never another user’s identical picture', async () => {
    const result = await stack.service.searchAssets(alice, { similarTo: query.assetId });
    expect(result).toMatchObject({
      match: 'image_similarity',
      embeddingModel: PERCEPTUAL_MODEL,
      minScore: 0.7,
      vectorPath: EXPECTED_PATH[backend.name],
    });
    const ids = result.hits.map((hit) => hit.asset.assetId);
    expect(ids[0]).toBe(planted.assetId);
    expect(result.hits[0]?.score).toBeGreaterThanOrEqual(0.7);
    expect(ids).not.toContain(query.assetId);
    expect(ids).not.toContain(bobsCopy.assetId);
    for (const other of others) expect(ids).not.toContain(other.assetId);
    expect(result.hits.every((hit) => hit.match === 'image_similarity' && hit.score >= 0.7)).toBe(true);

    const loose = await stack.service.searchAssets(alice, { similarTo: query.assetId }, { minScore: 0, limit: 100 });
    const looseIds = loose.hits.map((hit) => hit.asset.assetId);
    expect(looseIds[0]).toBe(planted.assetId);
    expect(looseIds).not.toContain(bobsCopy.assetId);
    expect(loose.hits.map((hit) => hit.score)).toEqual([...loose.hits.map((hit) => hit.score)].sort((a, b) => b - a));

    const bobs = await stack.service.searchAssets(bob, { similarTo: bobsCopy.assetId }, { minScore: 0 });
    expect(bobs.hits.map((hit) => hit.asset.assetId)).toEqual([bobsDuplicate.assetId]);
  });

  it('recommends the picture nearest the centroid of a set, excluding the set itself', async () => {
    const result = await stack.service.searchAssets(alice, {
      styleOf: styleSeeds.map((seed) => seed.assetId),
    });
    expect(result.match).toBe('style');
    const ids = result.hits.map((hit) => hit.asset.assetId);
    expect(ids[0]).toBe(planted.assetId);
    for (const seed of styleSeeds) expect(ids).not.toContain(seed.assetId);
    expect(ids).not.toContain(bobsCopy.assetId);
  });

  it('searches text offline with full-text search over names, tags and captions, and says so', async () => {
    const result = await stack.service.searchAssets(alice, { text: 'blue energy drink cans' });
    expect(result).toMatchObject({ match: 'full_text', embeddingModel: null, vectorPath: null, minScore: 0.25 });
    const ids = result.hits.map((hit) => hit.asset.assetId);
    expect(ids[0]).toBe(planted.assetId);
    expect(ids).toContain(others[0]!.assetId);
    expect(ids).not.toContain(bobsNamesake.assetId);
    expect(result.hits[0]!.score).toBeGreaterThan(result.hits[1]!.score);
    expect(result.hits.every((hit) => hit.match === 'full_text' && hit.score <= 1)).toBe(true);
    const none = await stack.service.searchAssets(alice, { text: 'zebra' });
    expect(none.hits).toEqual([]);
  });

  it('refuses another user’s assets as search seeds and audio as a picture, changing nothing', async () => {
    await expect(stack.service.searchAssets(alice, { similarTo: bobsCopy.assetId })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(
      stack.service.searchAssets(alice, { styleOf: [styleSeeds[0]!.assetId, bobsCopy.assetId] }),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(stack.service.searchAssets(alice, { similarTo: 'not-an-id' })).rejects.toMatchObject({
      code: 'invalid_id',
    });
  });

  if (backend.name === 'pglite') {
    it('has an HNSW index per model and compares with <=>, which the planner can walk on the index', async () => {
      const { db } = stack.database;
      const indexes = await sql<{ indexname: string; indexdef: string }>`
        select indexname, indexdef from pg_indexes where tablename = 'asset_embeddings'`.execute(db);
      const hnsw = indexes.rows.find((row) => row.indexname === 'asset_embeddings_hnsw_reelsmith_perceptual_rgb8x8');
      expect(hnsw?.indexdef).toMatch(/USING hnsw .*vector_cosine_ops.*WHERE \(model = 'reelsmith\/perceptual-rgb8x8'/);
      const [{ id: userId }] = (
        await sql<{ id: string }>`select user_id as id from assets where id = ${planted.assetId}`.execute(db)
      ).rows as [{ id: string }];
      const vector = Array.from({ length: 192 }, (_, i) => Math.sin(i));
      const params = { model: PERCEPTUAL_MODEL, vector, excludeIds: [], limit: 5, minScore: 0, embeddingModel: null };
      const query = nearestAssetsQuery('pgvector', userId, params);
      expect(query.compile(db).sql).toContain('<=>');
      // The planner prefers the owner's exact rows on a table this small; with that index out of the
      // way (inside a transaction that is rolled back), the same query walks the HNSW index.
      const plan = await db
        .transaction()
        .execute(async (trx) => {
          await tuneVectorScan(trx, 5);
          await sql`drop index asset_embeddings_user_model_idx`.execute(trx);
          await sql`set local enable_seqscan = off`.execute(trx);
          const rows = (await sql<{ 'QUERY PLAN': string }>`explain ${query}`.execute(trx)).rows;
          throw Object.assign(new Error('rollback'), { plan: rows.map((row) => row['QUERY PLAN']).join('\n') });
        })
        .catch((error: { plan?: string }) => error.plan ?? '');
      expect(plan).toContain('Index Scan using asset_embeddings_hnsw_reelsmith_perceptual_rgb8x8');
      const still = await sql`select 1 from pg_indexes where indexname = 'asset_embeddings_user_model_idx'`.execute(db);
      expect(still.rows).toHaveLength(1);
    });
  }
});
