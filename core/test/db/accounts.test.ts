import { afterEach, describe, expect, it } from 'vitest';
import {
  detachIdentity,
  findAccountDailyBudget,
  listAccountMembers,
  lockAccount,
  lockAccountChanges,
  lockHeads,
  mergeAccounts,
} from '../../src/db/accounts.js';
import { findAssetForUser, insertAsset } from '../../src/db/assets.js';
import { upsertUser } from '../../src/db/users.js';
import { findVideoForUser, insertVideo, listVideosForUser } from '../../src/db/videos.js';
import { type DisposableDatabase, TEST_BACKENDS } from '../helpers/databases.js';

describe.each(TEST_BACKENDS)('accounts of linked identities on $name', (backend) => {
  let handle: DisposableDatabase | undefined;
  afterEach(async () => {
    await handle?.drop();
    handle = undefined;
  });

  it('scopes videos and assets by account, keeps each row with its maker, and detaches exactly', async () => {
    handle = await backend.create();
    const { db } = handle;
    const [discord, mcp, slack] = [
      await upsertUser(db, { platform: 'discord', platformUserId: 'd' }),
      await upsertUser(db, { platform: 'mcp', platformUserId: 'm' }),
      await upsertUser(db, { platform: 'slack', platformUserId: 'T:s' }),
    ];
    const videoOf = async (userId: string) =>
      (
        await insertVideo(db, {
          user_id: userId,
          mode: 'ad',
          prompt: 'p',
          duration_s: 5,
          model_key: 'tiny',
          provider: 'animatic',
        })
      ).video.id;
    const [dVideo, mVideo, sVideo] = [await videoOf(discord.id), await videoOf(mcp.id), await videoOf(slack.id)];
    const asset = await insertAsset(db, {
      user_id: discord.id,
      kind: 'image',
      filename: 'a.png',
      mime_type: 'image/png',
      size_bytes: 1,
      sha256: 'ab',
      storage_key: `${discord.id}/assets/x/a.png`,
    });
    expect(await findVideoForUser(db, mcp.id, dVideo)).toBeUndefined();

    const link = (into: string, from: string) =>
      db.transaction().execute(async (trx) => {
        await lockAccountChanges(trx);
        await lockHeads(trx, [into, from]);
        await mergeAccounts(trx, into, from);
      });
    await link(discord.id, mcp.id);
    await link(discord.id, slack.id);
    expect((await listAccountMembers(db, slack.id)).map((user) => user.id)).toEqual([discord.id, mcp.id, slack.id]);
    expect((await findVideoForUser(db, mcp.id, dVideo))?.user_id).toBe(discord.id);
    expect((await findAssetForUser(db, slack.id, asset.id))?.id).toBe(asset.id);
    expect((await listVideosForUser(db, slack.id)).map((video) => video.id).sort()).toEqual(
      [dVideo, mVideo, sVideo].sort(),
    );
    await db.transaction().execute((trx) => lockAccount(trx, mcp.id));

    await db.updateTable('users').set({ daily_budget_usd: 3 }).where('id', '=', mcp.id).execute();
    await db.updateTable('users').set({ daily_budget_usd: 7 }).where('id', '=', slack.id).execute();
    expect(await findAccountDailyBudget(db, discord.id)).toBe(3);

    // The head leaves: the oldest remaining identity heads the others.
    await db.transaction().execute((trx) => detachIdentity(trx, discord.id));
    expect((await listAccountMembers(db, discord.id)).map((user) => user.id)).toEqual([discord.id]);
    expect((await listAccountMembers(db, slack.id)).map((user) => [user.id, user.linked_to])).toEqual([
      [mcp.id, null],
      [slack.id, mcp.id],
    ]);
    expect(await findVideoForUser(db, mcp.id, dVideo)).toBeUndefined();
    expect(await findAssetForUser(db, slack.id, asset.id)).toBeUndefined();
    expect((await findVideoForUser(db, mcp.id, sVideo))?.id).toBe(sVideo);
    expect(await findAccountDailyBudget(db, discord.id)).toBeNull();

    await db.transaction().execute((trx) => detachIdentity(trx, slack.id));
    expect((await listVideosForUser(db, mcp.id)).map((video) => video.id)).toEqual([mVideo]);
    expect((await listVideosForUser(db, slack.id)).map((video) => video.id)).toEqual([sVideo]);
  });
});
