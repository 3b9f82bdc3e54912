import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vectorPathOf } from '../../src/db/asset-embeddings.js';
import { createLogger } from '../../src/log.js';
import { createReplicateEmbeddings } from '../../src/providers/replicate/index.js';
import type { AssetView } from '../../src/service/asset-types.js';
import type { Owner } from '../../src/service/types.js';
import { type FakeReplicate, startFakeReplicate } from '../../src/testing/fake-replicate/index.js';
import { TEST_BACKENDS } from '../helpers/databases.js';
import { testRegistry } from '../helpers/pipeline.js';
import { FAST_OPTIONS } from '../providers/replicate/harness.js';
import { nearDuplicate, picture, plantedPicture, removeFixtures } from './fixtures.js';
import { createLibraryStack, type LibraryStack } from './library-stack.js';

const alice: Owner = { platform: 'slack', platformUserId: 'alice-clip' };
const bob: Owner = { platform: 'slack', platformUserId: 'bob-clip' };
const CLIP = 'andreasjansson/clip-features';

/** A blue drink can on white: a blue rectangle filling most of the frame. */
function blueCan(): Uint8Array {
  return picture('color=c=white', { filter: 'drawbox=x=120:y=20:w=400:h=320:color=0x1e3cdc:t=fill' });
}

afterAll(() => removeFixtures());

describe.each(TEST_BACKENDS)('asset search with CLIP on the fake Replicate on $name', (backend) => {
  let fake: FakeReplicate;
  let stack: LibraryStack;
  let can: AssetView;
  let pattern: AssetView;
  let query: AssetView;
  let bobsCan: AssetView;

  beforeAll(async () => {
    const registry = await testRegistry();
    fake = await startFakeReplicate({ models: registry, stepLatencyMs: 5 });
    stack = await createLibraryStack(backend, {
      embeddings: ({ db, storage }) =>
        createReplicateEmbeddings({
          db,
          storage,
          registry,
          apiToken: fake.apiToken,
          baseUrl: fake.url,
          log: createLogger({ level: 'silent' }),
          ...FAST_OPTIONS,
        }),
    });
    const add = (owner: Owner, bytes: Uint8Array, filename: string) =>
      stack.service.addAsset(owner, { bytes, filename }, 'image');
    can = await add(alice, blueCan(), 'IMG_0042.png');
    pattern = await add(alice, plantedPicture(), 'IMG_0043.png');
    query = await add(alice, nearDuplicate(), 'IMG_0044.jpg');
    await add(alice, picture('color=c=red'), 'IMG_0045.png');
    await add(
      alice,
      picture('color=c=white', { filter: 'drawbox=x=200:y=30:w=240:h=300:color=0x28b43c:t=fill' }),
      'IMG_0046.png',
    );
    bobsCan = await add(bob, blueCan(), 'blue energy drink can.png');
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
    await fake?.close();
  });

  it('embeds every upload with CLIP through the files API, recording the prediction and its cost', async () => {
    expect(can.embedded).toBe(true);
    const clipCalls = fake.predictions().filter((p) => p.model === CLIP);
    expect(clipCalls).toHaveLength(6);
    for (const call of clipCalls) expect(String(call.input.inputs)).toMatch(/^https?:\/\//);
    const { db } = stack.database;
    const rows = await sql<{ model: string; dimensions: number }>`
      select model, dimensions from asset_embeddings where asset_id = ${can.assetId}`.execute(db);
    expect(rows.rows).toEqual([{ model: CLIP, dimensions: 768 }]);
    const ledger = await sql<{
      kind: string;
    }>`select kind from ledger where step_key like ${`asset.${can.assetId}.%`}`.execute(db);
    expect(ledger.rows).toEqual([{ kind: 'embedding' }]);
    expect(await vectorPathOf(db)).toBe(backend.name === 'pglite' ? 'pgvector' : 'real_array');
  });

  it('finds the planted picture by a description in CLIP space (semantic_text), not by its name', async () => {
    const result = await stack.service.searchAssets(alice, { text: 'blue energy drink can' });
    expect(result).toMatchObject({ match: 'semantic_text', embeddingModel: CLIP, minScore: 0.25 });
    const ids = result.hits.map((hit) => hit.asset.assetId);
    expect(ids[0]).toBe(can.assetId);
    expect(ids).not.toContain(bobsCan.assetId);
    expect(result.hits.every((hit) => hit.match === 'semantic_text' && hit.score >= 0.25)).toBe(true);
    const textCall = fake
      .predictions()
      .filter((p) => p.model === CLIP)
      .at(-1);
    expect(textCall?.input.inputs).toBe('blue energy drink can');
  });

  it('ranks the planted near-duplicate first by CLIP image similarity, within the owner’s assets', async () => {
    const result = await stack.service.searchAssets(alice, { similarTo: query.assetId });
    expect(result).toMatchObject({ match: 'image_similarity', embeddingModel: CLIP, minScore: 0.7 });
    const ids = result.hits.map((hit) => hit.asset.assetId);
    expect(ids[0]).toBe(pattern.assetId);
    expect(ids).not.toContain(query.assetId);
    await expect(stack.service.searchAssets(alice, { similarTo: bobsCan.assetId })).rejects.toMatchObject({
      code: 'not_found',
    });
    const bobs = await stack.service.searchAssets(bob, { text: 'blue' });
    expect(bobs.hits.map((hit) => hit.asset.assetId)).toEqual([bobsCan.assetId]);
  });
});
