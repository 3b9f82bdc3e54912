import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../../core/test/helpers/pipeline.js';
import { type ConnectedClient, connectInMemory } from './helpers/in-memory.js';
import { makePatternPng } from './helpers/media.js';
import { ToolCaller } from './helpers/tools.js';

/** A left-to-right gradient between two colours, with a little per-image variation (`shift`). */
function gradient(from: [number, number, number], to: [number, number, number], shift = 0) {
  const png = makePatternPng(96, 64, (x, y) => {
    const t = Math.min(1, Math.max(0, x / 95 + shift * ((y % 7) / 70)));
    return [0, 1, 2].map((c) => Math.round((from[c] ?? 0) * (1 - t) + (to[c] ?? 0) * t)) as [number, number, number];
  });
  return { data: png.toString('base64'), mime_type: 'image/png' };
}

describe('the asset library over MCP', () => {
  let stack: TestStack;
  let alice: ConnectedClient;
  let bob: ConnectedClient;
  let tools: ToolCaller;
  let bobTools: ToolCaller;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    stack = await createTestStack();
    alice = await connectInMemory(stack.service, 'assets-alice');
    bob = await connectInMemory(stack.service, 'assets-bob');
    tools = new ToolCaller(alice.client);
    bobTools = new ToolCaller(bob.client);
    const add = async (who: ToolCaller, name: string, file: ReturnType<typeof gradient>, tags?: string[]) =>
      ((await who.ok('add_asset', { file, name, ...(tags ? { tags } : {}) })).asset as { asset_id: string }).asset_id;
    ids.red = await add(tools, 'Red energy drink can', gradient([220, 30, 30], [250, 230, 40]), ['drink', 'Summer']);
    ids.redAgain = await add(tools, 'Second shot', gradient([215, 35, 30], [245, 225, 45], 1));
    ids.blue = await add(tools, 'Ocean logo', gradient([10, 200, 120], [20, 40, 220]));
    ids.bobRed = await add(bobTools, 'Red energy drink can', gradient([220, 30, 30], [250, 230, 40]));
  });
  afterAll(async () => {
    await alice?.close();
    await bob?.close();
    await stack?.close();
  });

  it('adds assets with a name, lower-cased tags, a thumbnail and an embedding, and lists only the caller’s', async () => {
    const { assets } = await tools.ok('list_assets', {});
    expect(assets.map((a: { asset_id: string }) => a.asset_id)).toEqual([ids.blue, ids.redAgain, ids.red]);
    const red = assets.find((a: { asset_id: string }) => a.asset_id === ids.red);
    expect(red).toMatchObject({
      name: 'Red energy drink can',
      tags: ['drink', 'summer'],
      has_thumbnail: true,
      embedded: true,
    });
    const tagged = await tools.ok('list_assets', { tag: 'drink' });
    expect(tagged.assets.map((a: { asset_id: string }) => a.asset_id)).toEqual([ids.red]);
    await tools.refused('get_asset', { asset_id: ids.bobRed }, /No .*asset/i);
  });

  it('renames without moving the file and changes tags', async () => {
    const key = async () =>
      (
        await stack.database.db
          .selectFrom('assets')
          .select('storage_key')
          .where('id', '=', ids.redAgain as string)
          .executeTakeFirstOrThrow()
      ).storage_key;
    const before = await key();
    const { asset } = await tools.ok('rename_asset', { asset_id: ids.redAgain, name: 'Red can, second angle' });
    expect(asset.name).toBe('Red can, second angle');
    expect(await key()).toBe(before);
    const tagged = await tools.ok('tag_asset', { asset_id: ids.red, add: ['hero'], remove: ['summer'] });
    expect([...tagged.asset.tags].sort()).toEqual(['drink', 'hero']);
  });

  it('searches by text, by similarity and by style, ranking the planted match first and never another user’s', async () => {
    const text = await tools.ok('search_assets', { text: 'red drink can' });
    expect(['full_text', 'semantic_text']).toContain(text.match);
    expect(text.hits[0].asset.asset_id).toBe(ids.red);
    const similar = await tools.ok('search_assets', { similar_to: ids.red });
    expect(similar.match).toBe('image_similarity');
    expect(similar.hits[0].asset.asset_id).toBe(ids.redAgain);
    expect(similar.hits[0].score).toBeGreaterThanOrEqual(similar.min_score);
    const all = [text, similar].flatMap((r) => r.hits.map((h: { asset: { asset_id: string } }) => h.asset.asset_id));
    expect(all).not.toContain(ids.bobRed);
    const style = await tools.ok('search_assets', { style_of: [ids.red, ids.blue], min_score: 0 });
    expect(style.match).toBe('style');
    expect(style.hits.map((h: { asset: { asset_id: string } }) => h.asset.asset_id)).toEqual([ids.redAgain]);
  });

  it('refuses bad input with a clear message and its code, changing nothing', async () => {
    const rows = async () => stack.database.db.selectFrom('assets').selectAll().orderBy('id').execute();
    const before = await rows();
    await tools.refused('search_assets', {}, /exactly one of text, similar_to or style_of/);
    await tools.refused('search_assets', { text: '   ' }, /Say what to look for/);
    await tools.refused('search_assets', { similar_to: ids.bobRed }, /No .*asset/i);
    const long = await tools.call('tag_asset', { asset_id: ids.red, add: ['x'.repeat(51)] });
    expect(long.isError).toBe(true);
    expect(long._meta?.['reelsmith/error_code']).toBe('tag_too_long');
    await tools.refused('rename_asset', { asset_id: ids.red, name: '  ' }, /name/i);
    expect(await rows()).toEqual(before);
  });

  it('deletes an asset with its file', async () => {
    const deleted = await tools.ok('delete_asset', { asset_id: ids.blue });
    expect(deleted).toEqual({ asset_id: ids.blue, deleted: true });
    const { assets } = await tools.ok('list_assets', {});
    expect(assets.map((a: { asset_id: string }) => a.asset_id)).not.toContain(ids.blue);
    await tools.refused('get_asset', { asset_id: ids.blue }, /No .*asset/i);
  });
});
