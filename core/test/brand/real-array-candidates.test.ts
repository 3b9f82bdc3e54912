import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  nearestAssets,
  nearestAssetsQuery,
  realArrayCandidates,
  upsertAssetEmbedding,
  vectorPathOf,
} from '../../src/db/asset-embeddings.js';
import { insertAsset } from '../../src/db/assets.js';
import { createUser } from '../helpers/db-fixtures.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

const MODEL = 'test/clip-like';
const DIMS = 64;

function gaussianVector(random: () => number): number[] {
  return Array.from({ length: DIMS }, () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
}

/** A seeded generator, so the planted neighbours and the noise are the same every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

describe('the real[] path when the owner has more vectors than it ranks exactly', () => {
  let database: TestDatabase;
  let ownerId: string;
  const planted: string[] = [];
  const random = seeded(42);
  const target = gaussianVector(random);

  beforeAll(async () => {
    database = await createTestDatabase();
    const owner = await createUser(database.db, 'Owner');
    const other = await createUser(database.db, 'Other');
    ownerId = owner.id;
    const add = async (userId: string, vector: number[]) => {
      const row = await insertAsset(database.db, {
        user_id: userId,
        kind: 'image',
        filename: 'a.png',
        mime_type: 'image/png',
        size_bytes: 1,
        sha256: 'x',
        storage_key: 'k',
      });
      await upsertAssetEmbedding(database.db, { assetId: row.id, userId, model: MODEL, vector });
      return row.id;
    };
    const total = realArrayCandidates(10) + 100;
    for (let i = 0; i < total; i += 1) await add(owner.id, gaussianVector(random));
    for (const noise of [0.2, 0.35, 0.5]) {
      planted.push(
        await add(
          owner.id,
          target.map((x) => x + noise * gaussianVector(random)[0]! + noise * (random() - 0.5)),
        ),
      );
    }
    await add(other.id, target);
  }, 120_000);
  afterAll(async () => {
    await database?.drop();
  });

  it('picks candidates by sign bits and still ranks the planted neighbours first, closest first', async () => {
    expect(await vectorPathOf(database.db)).toBe('real_array');
    const params = { model: MODEL, vector: target, excludeIds: [], limit: 10, minScore: 0, embeddingModel: null };
    expect(nearestAssetsQuery('real_array', ownerId, params).compile(database.db).sql).toContain('bit_count');
    const hits = await nearestAssets(database.db, ownerId, params);
    expect(hits.slice(0, 3).map((hit) => hit.id)).toEqual(planted);
    const exact = await nearestAssets(database.db, ownerId, { ...params, candidates: 'all' });
    expect(exact.slice(0, 3).map((hit) => hit.id)).toEqual(planted);
    expect(hits[0]!.score).toBeGreaterThan(0.9);
    expect(hits.map((hit) => hit.score)).toEqual([...hits.map((hit) => hit.score)].sort((a, b) => b - a));
  });
});
