import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssetView } from '../../src/service/asset-types.js';
import type { Owner } from '../../src/service/types.js';
import { TEST_BACKENDS } from '../helpers/databases.js';
import { nearDuplicate, picture, plantedPicture, removeFixtures } from './fixtures.js';
import { createLibraryStack, type LibraryStack } from './library-stack.js';

const inDiscord = { platform: 'discord', platformUserId: 'dana-linked' } as const;
const inAssistant = { platform: 'mcp', platformUserId: 'dana-linked-mcp' } as const;
const stranger = { platform: 'discord', platformUserId: 'erin-linked' } as const;

afterAll(() => removeFixtures());

/**
 * The brand library is scoped to the account (one identity across fronts): once linked, each
 * identity lists, shows, changes, deletes and finds the other's assets, by text and by image
 * similarity on both vector paths; unlinked, it does not.
 */
describe.each(TEST_BACKENDS)('the brand library of linked identities on $name', (backend) => {
  let stack: LibraryStack;
  let planted: AssetView;
  let duplicate: AssetView;
  let strangers: AssetView;

  const ids = (assets: readonly AssetView[]) => assets.map((asset) => asset.assetId);
  const listed = async (owner: Owner) => ids(await stack.service.listAssets(owner, { limit: 100 }));
  const textHits = async (owner: Owner) =>
    ids((await stack.service.searchAssets(owner, { text: 'energy drink' })).hits.map((hit) => hit.asset));
  const similarHits = async (owner: Owner) =>
    ids(
      (await stack.service.searchAssets(owner, { similarTo: duplicate.assetId }, { minScore: 0 })).hits.map(
        (hit) => hit.asset,
      ),
    );

  beforeAll(async () => {
    stack = await createLibraryStack(backend);
    planted = await stack.service.addAsset(inDiscord, { bytes: plantedPicture(), filename: 'can.png' }, 'image');
    await stack.service.renameAsset(inDiscord, planted.assetId, 'Blue energy drink can');
    duplicate = await stack.service.addAsset(inAssistant, { bytes: nearDuplicate(), filename: 'copy.jpg' }, 'image');
    strangers = await stack.service.addAsset(
      stranger,
      { bytes: plantedPicture(), filename: 'energy drink.png' },
      'image',
    );
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
  });

  it("before linking, neither identity lists or finds the other's assets", async () => {
    expect(await listed(inAssistant)).toEqual([duplicate.assetId]);
    expect(await textHits(inAssistant)).toEqual([]);
    expect(await similarHits(inAssistant)).toEqual([]);
    await expect(stack.service.showAsset(inAssistant, planted.assetId)).rejects.toMatchObject({ code: 'not_found' });
  });

  it("once linked, lists, shows, tags, searches and deletes the other's assets; never a stranger's", async () => {
    const { code } = await stack.service.startLink(inDiscord);
    await stack.service.completeLink(inAssistant, code);

    for (const owner of [inAssistant, inDiscord]) {
      expect(new Set(await listed(owner))).toEqual(new Set([planted.assetId, duplicate.assetId]));
      expect(await textHits(owner)).toEqual([planted.assetId]);
    }
    // The assistant's near-duplicate finds the Discord upload, on this backend's vector path.
    expect((await similarHits(inAssistant))[0]).toBe(planted.assetId);
    expect(await similarHits(inAssistant)).not.toContain(strangers.assetId);
    const style = await stack.service.searchAssets(inAssistant, { styleOf: [planted.assetId] }, { minScore: 0 });
    expect(ids(style.hits.map((hit) => hit.asset))[0]).toBe(duplicate.assetId);

    expect((await stack.service.showAsset(inAssistant, planted.assetId)).name).toBe('Blue energy drink can');
    const tagged = await stack.service.tagAsset(inAssistant, planted.assetId, { add: ['Brand'] });
    expect(tagged.tags).toEqual(['brand']);
    expect(ids(await stack.service.listAssets(inDiscord, { tag: 'brand' }))).toEqual([planted.assetId]);
    await expect(stack.service.showAsset(inAssistant, strangers.assetId)).rejects.toMatchObject({ code: 'not_found' });
    expect(await listed(stranger)).toEqual([strangers.assetId]);

    const extra = await stack.service.addAsset(inDiscord, { bytes: picture('mandelbrot'), filename: 'x.png' }, 'image');
    expect(await stack.service.deleteAsset(inAssistant, extra.assetId)).toEqual({
      assetId: extra.assetId,
      deleted: true,
    });
    expect(await listed(inDiscord)).not.toContain(extra.assetId);
  });

  it('after unlinking, each identity has only its own assets again', async () => {
    await stack.service.unlink(inAssistant);
    expect(await listed(inAssistant)).toEqual([duplicate.assetId]);
    expect(await listed(inDiscord)).toEqual([planted.assetId]);
    expect(await textHits(inAssistant)).toEqual([]);
    expect(await similarHits(inAssistant)).toEqual([]);
  });
});
