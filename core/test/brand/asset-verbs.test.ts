import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_BACKENDS } from '../helpers/databases.js';
import { createVideo } from '../helpers/db-fixtures.js';
import { ffmpegSync, makeWorkDir } from '../media/fixtures.js';
import { createLibraryStack, type LibraryStack } from './library-stack.js';

const work = makeWorkDir();
const alice = { platform: 'cli', platformUserId: 'alice-brand' } as const;
const bob = { platform: 'cli', platformUserId: 'bob-brand' } as const;

function png(name: string, source = 'testsrc2', size = '640x360'): Uint8Array {
  const out = work.path(name);
  ffmpegSync(['-f', 'lavfi', '-i', `${source}=s=${size}`, '-frames:v', '1', out]);
  return readFileSync(out);
}

async function snapshot(stack: LibraryStack) {
  const assets = await sql`select * from assets order by id`.execute(stack.database.db);
  const embeddings = await sql`select asset_id, model from asset_embeddings order by asset_id`.execute(
    stack.database.db,
  );
  return { assets: assets.rows, embeddings: embeddings.rows };
}

describe.each(TEST_BACKENDS)('brand library verbs on $name', (backend) => {
  let stack: LibraryStack;
  beforeAll(async () => {
    stack = await createLibraryStack(backend);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('gives an upload a name, a 400×400 thumbnail beside it and an embedding; rename and tags never move the file', async () => {
    const asset = await stack.service.addAsset(alice, { bytes: png('can.png'), filename: 'Blue Can.png' }, 'image');
    expect(asset).toMatchObject({ name: 'Blue_Can', tags: [], caption: null, embedded: true });
    expect(asset.thumbnailKey).toMatch(new RegExp(`/assets/${asset.assetId}/_thumb\\.jpg$`));
    const thumb = join(stack.storageRoot, asset.thumbnailKey as string);
    expect(existsSync(thumb)).toBe(true);
    const probe = ffmpegSync(['-i', thumb, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);
    expect(probe.byteLength).toBe(400 * 400 * 3);

    const before = await sql<{
      storage_key: string;
    }>`select storage_key from assets where id = ${asset.assetId}`.execute(stack.database.db);
    const renamed = await stack.service.renameAsset(alice, asset.assetId, '  Blue energy drink can  ');
    expect(renamed.name).toBe('Blue energy drink can');
    const tagged = await stack.service.tagAsset(alice, asset.assetId, { add: [' Product ', 'CAN', 'product'] });
    expect(tagged.tags).toEqual(['product', 'can']);
    const untagged = await stack.service.tagAsset(alice, asset.assetId, { remove: ['can'] });
    expect(untagged.tags).toEqual(['product']);
    const after = await sql<{
      storage_key: string;
    }>`select storage_key from assets where id = ${asset.assetId}`.execute(stack.database.db);
    expect(after.rows).toEqual(before.rows);
    expect(existsSync(join(stack.storageRoot, before.rows[0]?.storage_key as string))).toBe(true);

    expect((await stack.service.listAssets(alice, { tag: 'product' })).map((a) => a.assetId)).toEqual([asset.assetId]);
    expect(await stack.service.listAssets(bob)).toEqual([]);
    await expect(stack.service.showAsset(bob, asset.assetId)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses bad names and tags and another user’s asset with one clear message, changing nothing', async () => {
    const asset = await stack.service.addAsset(
      alice,
      { bytes: png('logo.png', 'mandelbrot'), filename: 'logo.png' },
      'image',
    );
    const before = await snapshot(stack);
    await expect(stack.service.tagAsset(alice, asset.assetId, { add: ['ok', 'x'.repeat(51)] })).rejects.toMatchObject({
      code: 'tag_too_long',
    });
    await expect(stack.service.tagAsset(alice, asset.assetId, { add: ['  '] })).rejects.toMatchObject({
      code: 'invalid_tag',
    });
    await expect(stack.service.renameAsset(alice, asset.assetId, '   ')).rejects.toMatchObject({
      code: 'invalid_name',
    });
    await expect(stack.service.renameAsset(alice, asset.assetId, 'x'.repeat(101))).rejects.toMatchObject({
      code: 'invalid_name',
    });
    await expect(stack.service.renameAsset(bob, asset.assetId, 'mine now')).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(stack.service.deleteAsset(bob, asset.assetId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(stack.service.searchAssets(alice, { text: '  ' })).rejects.toMatchObject({ code: 'empty_query' });
    await expect(stack.service.searchAssets(alice, { styleOf: [] })).rejects.toMatchObject({ code: 'empty_query' });
    await expect(stack.service.searchAssets(bob, { similarTo: asset.assetId })).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(await snapshot(stack)).toEqual(before);
  });

  it('refuses to delete an asset a video in progress uses, naming it, and deletes file, thumbnail and embedding after', async () => {
    const asset = await stack.service.addAsset(
      alice,
      { bytes: png('shoe.png', 'rgbtestsrc'), filename: 'shoe.png' },
      'image',
    );
    const [{ id: userId }] = (
      await sql<{ id: string }>`select user_id as id from assets where id = ${asset.assetId}`.execute(stack.database.db)
    ).rows as [{ id: string }];
    const storageKey = (await stack.service.listAssets(alice)).find((a) => a.assetId === asset.assetId);
    expect(storageKey).toBeDefined();
    const video = await createVideo(stack.database.db, userId, {
      status: 'generating',
      options: { referenceAssetId: asset.assetId, referenceAssetKey: `x/assets/${asset.assetId}/shoe.png` },
    });
    const before = await snapshot(stack);
    const refusal = await stack.service.deleteAsset(alice, asset.assetId).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: 'asset_in_use' });
    expect((refusal as Error).message).toContain(video.id);
    expect(await snapshot(stack)).toEqual(before);

    await sql`update videos set status = 'ready' where id = ${video.id}`.execute(stack.database.db);
    const row = (
      await sql<{ storage_key: string }>`select storage_key from assets where id = ${asset.assetId}`.execute(
        stack.database.db,
      )
    ).rows[0] as { storage_key: string };
    expect(await stack.service.deleteAsset(alice, asset.assetId)).toEqual({ assetId: asset.assetId, deleted: true });
    expect(existsSync(join(stack.storageRoot, row.storage_key))).toBe(false);
    expect(existsSync(join(stack.storageRoot, asset.thumbnailKey as string))).toBe(false);
    const left = await sql`select 1 from asset_embeddings where asset_id = ${asset.assetId}`.execute(stack.database.db);
    expect(left.rows).toEqual([]);
    await expect(stack.service.showAsset(alice, asset.assetId)).rejects.toMatchObject({ code: 'not_found' });
  });
});
