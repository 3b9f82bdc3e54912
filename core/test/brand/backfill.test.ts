import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations } from '../../../migrations/index.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { PERCEPTUAL_MODEL } from '../../src/embeddings/perceptual.js';
import { assetKey } from '../../src/storage/keys.js';
import { TEST_BACKENDS } from '../helpers/databases.js';
import { nearDuplicate, plantedPicture, removeFixtures, unrelatedPictures } from './fixtures.js';
import { createLibraryStack, type LibraryStack } from './library-stack.js';

const BEFORE_LIBRARY = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0005'));
const owner = { platform: 'cli', platformUserId: 'backfill-owner' } as const;

afterAll(() => removeFixtures());

describe.each(TEST_BACKENDS)('assets from before the brand library on $name', (backend) => {
  let stack: LibraryStack | undefined;
  afterAll(async () => {
    await stack?.close();
  });

  it('get names and captions from the migration, then thumbnails and embeddings when a search needs them', async () => {
    const database = await backend.create({ migrate: false });
    await migrateToLatest(database.db, { migrations: BEFORE_LIBRARY });
    const { rows } = await sql<{ id: string }>`
      insert into users (platform, platform_user_id) values ('cli', ${owner.platformUserId}) returning id`.execute(
      database.db,
    );
    const userId = (rows[0] as { id: string }).id;
    const old = { upload: randomUUID(), other: randomUUID(), character: randomUUID() };
    const insertOld = (id: string, kind: string, filename: string, metadata: object) =>
      sql`insert into assets (id, user_id, kind, filename, mime_type, size_bytes, sha256, storage_key, metadata)
          values (${id}, ${userId}, ${kind}, ${filename}, 'image/png', 1, 'x', ${assetKey(userId, id, filename)},
                  ${JSON.stringify(metadata)}::jsonb)`.execute(database.db);
    await insertOld(old.upload, 'image', 'summer.launch.png', {});
    await insertOld(old.other, 'image', 'copy.png', {});
    await insertOld(old.character, 'character_reference', 'character_2.png', {
      description: 'a red-haired violinist in a silver coat',
      index: 1,
    });
    await migrateToLatest(database.db);

    stack = await createLibraryStack(backend, { database });
    await stack.storage.put(assetKey(userId, old.upload, 'summer.launch.png'), { buffer: plantedPicture() });
    await stack.storage.put(assetKey(userId, old.other, 'copy.png'), { buffer: nearDuplicate() });
    // The character is another picture: a tie with the upload would make the similar search's order arbitrary.
    await stack.storage.put(assetKey(userId, old.character, 'character_2.png'), {
      buffer: unrelatedPictures()[0] as Uint8Array,
    });

    const listed = await stack.service.listAssets(owner);
    const byId = new Map(listed.map((asset) => [asset.assetId, asset]));
    expect(byId.get(old.upload)).toMatchObject({
      name: 'summer.launch',
      caption: null,
      thumbnailKey: null,
      embedded: false,
    });
    expect(byId.get(old.character)).toMatchObject({
      name: 'a red-haired violinist in a silver coat (2)',
      caption: 'a red-haired violinist in a silver coat',
    });
    const text = await stack.service.searchAssets(owner, { text: 'violinist' });
    expect(text.hits.map((hit) => hit.asset.assetId)).toEqual([old.character]);

    const similar = await stack.service.searchAssets(owner, { similarTo: old.other });
    expect(similar.hits[0]?.asset.assetId).toBe(old.upload);
    const after = await stack.service.showAsset(owner, old.upload);
    expect(after.embedded).toBe(true);
    expect(after.thumbnailKey).toBe(`${userId}/assets/${old.upload}/_thumb.jpg`);
    expect(readFileSync(`${stack.storageRoot}/${after.thumbnailKey}`).subarray(0, 2)).toEqual(
      Buffer.from([0xff, 0xd8]),
    );
    const vectors = await sql<{ n: number }>`
      select count(*)::int as n from asset_embeddings where model = ${PERCEPTUAL_MODEL}`.execute(database.db);
    expect(vectors.rows[0]?.n).toBe(3);
  }, 120_000);
});
