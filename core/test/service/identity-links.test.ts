import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertUser } from '../../src/db/users.js';
import { insertVideo } from '../../src/db/videos.js';
import { type GenerationPayer, reserveGeneration } from '../../src/ledger/generation.js';
import type { Owner } from '../../src/service/types.js';
import { makeImage } from '../assets/image-fixtures.js';
import { createTestStack, type TestStack, testRegistry } from '../helpers/pipeline.js';

const CODE = /^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/;

/** A clock the tests move: link codes expire and wrong attempts age by it. */
function testClock() {
  let nowMs = Date.parse('2026-03-01T12:00:00Z');
  return { now: () => new Date(nowMs), advance: (ms: number) => (nowMs += ms) };
}

const discord = (id: string): Owner => ({ platform: 'discord', platformUserId: id, displayName: `d-${id}` });
const mcp = (id: string): Owner => ({ platform: 'mcp', platformUserId: id });
const slack = (id: string): Owner => ({ platform: 'slack', platformUserId: `T1:${id}` });

describe('one identity across fronts', () => {
  let stack: TestStack;
  const clock = testClock();
  beforeAll(async () => {
    stack = await createTestStack({ clock: clock.now });
  });
  afterAll(() => stack?.close());

  const db = () => stack.database.db;
  /** Everything a refused link must leave alone: who is linked to whom, and every code's state. */
  const snapshot = async () => ({
    users: await db().selectFrom('users').select(['id', 'linked_to']).orderBy('id').execute(),
    codes: await db()
      .selectFrom('link_codes')
      .select(['id', 'user_id', 'expires_at', 'used_at', 'used_by'])
      .orderBy('id')
      .execute(),
    videos: await db().selectFrom('videos').select(['id', 'user_id']).orderBy('id').execute(),
  });
  const attempts = async () =>
    Number((await db().selectFrom('link_attempts').select(db().fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const make = async (owner: Owner, prompt: string) => {
    const view = await stack.service.create(owner, { prompt, durationS: 5, model: 'tiny' });
    await stack.service.settled(view.videoId);
    return view.videoId;
  };
  const ids = async (owner: Owner) => (await stack.service.list(owner)).map((video) => video.videoId).sort();

  it('links a Discord and an MCP identity with a code: each sees and changes the other’s videos and uploads; unlink undoes it exactly', async () => {
    const ada = discord('ada-1');
    const adaBot = mcp('ada-assistant');
    const fromDiscord = await make(ada, 'a paper boat on a river');
    const fromMcp = await make(adaBot, 'a kite over a beach');
    await expect(stack.service.get(adaBot, fromDiscord)).rejects.toMatchObject({ code: 'not_found' });
    expect(await ids(adaBot)).toEqual([fromMcp]);

    const issued = await stack.service.startLink(ada);
    expect(issued.code).toMatch(CODE);
    expect(issued.expiresInS).toBe(600);
    expect(Date.parse(issued.expiresAt) - clock.now().getTime()).toBe(600_000);
    const stored = await db().selectFrom('link_codes').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(issued.code.replace('-', ''));

    const typed = issued.code.toLowerCase().replace('-', ' ');
    const linked = await stack.service.completeLink(adaBot, typed);
    expect(linked.identities.map((i) => [i.platform, i.you])).toEqual([
      ['mcp', true],
      ['discord', false],
    ]);
    expect((await stack.service.account(ada)).identities.map((i) => i.platformUserId)).toEqual([
      'ada-1',
      'ada-assistant',
    ]);

    expect(await ids(adaBot)).toEqual([fromDiscord, fromMcp].sort());
    expect(await ids(ada)).toEqual([fromDiscord, fromMcp].sort());
    await stack.service.regenerateScene(adaBot, fromDiscord, 1, { prompt: 'the boat at night' });
    await stack.service.settled(fromDiscord);
    const regenerated = await stack.service.get(ada, fromDiscord);
    expect(regenerated.scenes[0]?.versions.map((v) => v.kind)).toEqual(['generated', 'regenerated']);
    const upload = await stack.service.addAsset(
      ada,
      { bytes: makeImage(join(stack.dataDir, 'boat.png'), 320, 180), filename: 'boat.png' },
      'image',
    );
    const withUpload = await stack.service.create(adaBot, {
      prompt: 'the paper boat again',
      durationS: 5,
      model: 'tiny',
      imageAssetId: upload.assetId,
    });
    await stack.service.settled(withUpload.videoId);

    const unlinked = await stack.service.unlink(adaBot);
    expect(unlinked.detached).toMatchObject({ platform: 'mcp', platformUserId: 'ada-assistant', you: true });
    expect(unlinked.identities).toHaveLength(1);
    expect(await ids(ada)).toEqual([fromDiscord]);
    expect(await ids(adaBot)).toEqual([fromMcp, withUpload.videoId].sort());
    await expect(stack.service.get(adaBot, fromDiscord)).rejects.toMatchObject({ code: 'not_found' });
    await expect(stack.service.regenerateScene(adaBot, fromDiscord, 1)).rejects.toMatchObject({ code: 'not_found' });
    await expect(stack.service.get(ada, fromMcp)).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      stack.service.create(adaBot, { prompt: 'x', durationS: 5, model: 'tiny', imageAssetId: upload.assetId }),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(stack.service.unlink(adaBot)).rejects.toMatchObject({ code: 'not_linked' });
  });

  it('works the other way round too (the MCP identity makes the code), and unlinks another app’s identity by platform', async () => {
    const bo = discord('bo-1');
    const boBot = mcp('bo-assistant');
    const issued = await stack.service.startLink(boBot);
    await stack.service.completeLink(bo, issued.code);
    expect((await stack.service.account(boBot)).identities).toHaveLength(2);
    await expect(stack.service.unlink(boBot, 'slack')).rejects.toMatchObject({
      code: 'not_linked',
      message: expect.stringMatching(/No Slack identity is linked to yours \(linked: MCP, Discord\)/),
    });
    await expect(stack.service.unlink(boBot, 'telegram')).rejects.toMatchObject({ code: 'invalid_platform' });
    const unlinked = await stack.service.unlink(boBot, 'discord');
    expect(unlinked.detached).toMatchObject({ platform: 'discord', you: false });
    expect(unlinked.identities.map((i) => i.platform)).toEqual(['mcp']);
  });

  it('links three apps into one account, and the account survives its first identity leaving', async () => {
    const cy = discord('cy-1');
    const cyBot = mcp('cy-assistant');
    const cySlack = slack('U-cy');
    const slackVideo = await make(cySlack, 'a cup of tea steaming');
    await stack.service.completeLink(cyBot, (await stack.service.startLink(cy)).code);
    await stack.service.completeLink(cySlack, (await stack.service.startLink(cyBot)).code);
    expect(await ids(cy)).toEqual([slackVideo]);
    await stack.service.unlink(cy);
    expect(await ids(cy)).toEqual([]);
    expect(await ids(cyBot)).toEqual([slackVideo]);
    expect((await stack.service.account(cySlack)).identities.map((i) => i.platform)).toEqual(['slack', 'mcp']);
  });

  it('refuses a wrong, malformed, expired, replaced or used code with a clear message, changing nothing', async () => {
    const dee = discord('dee-1');
    const deeBot = mcp('dee-assistant');
    const stranger = mcp('stranger');
    const first = await stack.service.startLink(dee);
    const second = await stack.service.startLink(dee);
    // Every verb records an identity on first sight; the refusals below must change nothing else.
    for (const owner of [deeBot, stranger]) await stack.service.account(owner);
    let before = await snapshot();
    let wrongSoFar = await attempts();

    await expect(stack.service.completeLink(deeBot, 'ABCD')).rejects.toMatchObject({
      code: 'link_code_malformed',
      message: expect.stringMatching(/is not a link code: a code is 8 letters and digits like ABCD-EFGH/),
    });
    expect(await attempts()).toBe(wrongSoFar);
    const wrong = second.code === 'ZZZZ-ZZZZ' ? 'YYYY-YYYY' : 'ZZZZ-ZZZZ';
    await expect(stack.service.completeLink(deeBot, wrong)).rejects.toMatchObject({
      code: 'link_code_invalid',
      message: expect.stringMatching(/is not a valid link code; check it\. Make a new one with \/video link/),
    });
    await expect(stack.service.completeLink(deeBot, first.code)).rejects.toMatchObject({
      code: 'link_code_expired',
      message: expect.stringMatching(/has expired \(a code lasts 10 minutes, and a newer one replaces it\)/),
    });
    await expect(stack.service.completeLink(dee, second.code)).rejects.toMatchObject({ code: 'link_self' });
    expect(await attempts()).toBe(wrongSoFar + 2);
    expect(await snapshot()).toEqual(before);

    clock.advance(600_001);
    await expect(stack.service.completeLink(deeBot, second.code)).rejects.toMatchObject({
      code: 'link_code_expired',
    });
    expect(await snapshot()).toEqual(before);

    const fresh = await stack.service.startLink(dee);
    await stack.service.completeLink(deeBot, fresh.code);
    before = await snapshot();
    wrongSoFar = await attempts();
    await expect(stack.service.completeLink(stranger, fresh.code)).rejects.toMatchObject({
      code: 'link_code_used',
      message: expect.stringMatching(/was already used; a code links once/),
    });
    await expect(stack.service.get(stranger, (await make(dee, 'a private video')) as string)).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(await attempts()).toBe(wrongSoFar + 1);
    expect((await stack.service.account(stranger)).identities).toHaveLength(1);
    expect((await snapshot()).users).toEqual(before.users);
    expect((await snapshot()).codes).toEqual(before.codes);
  });

  it('refuses linking what is already linked, or a second identity of one app, without using the code', async () => {
    const eve = discord('eve-1');
    const eveBot = mcp('eve-assistant');
    const eveOther = discord('eve-2');
    const eveBot2 = mcp('eve-assistant-2');
    await stack.service.completeLink(eveBot, (await stack.service.startLink(eve)).code);
    const again = await stack.service.startLink(eve);
    const fromBot = await stack.service.startLink(eveBot);
    const fromOther = await stack.service.startLink(eveOther);
    await stack.service.account(eveBot2);
    const before = await snapshot();

    await expect(stack.service.completeLink(eveBot, again.code)).rejects.toMatchObject({ code: 'already_linked' });
    await expect(stack.service.completeLink(eveOther, fromBot.code)).rejects.toMatchObject({
      code: 'link_platform_taken',
      message: expect.stringMatching(
        /Both sides already have a Discord identity.*unlink_account with platform "discord"/,
      ),
    });
    await expect(stack.service.completeLink(eveBot2, again.code)).rejects.toMatchObject({
      code: 'link_platform_taken',
    });
    await expect(stack.service.completeLink(eve, fromOther.code)).rejects.toMatchObject({
      code: 'link_platform_taken',
    });
    expect(await snapshot()).toEqual(before);

    // Each refused code is still good for a rightful identity.
    await stack.service.completeLink(slack('U-eve'), again.code);
    expect((await stack.service.account(eve)).identities.map((i) => i.platform)).toEqual(['discord', 'mcp', 'slack']);
  });

  it('lets one of two identities racing for one code win; the other is told it was used and stays alone', async () => {
    const fay = discord('fay-1');
    const code = (await stack.service.startLink(fay)).code;
    const racers = [mcp('fay-assistant'), slack('U-fay')];
    const results = await Promise.allSettled(racers.map((racer) => stack.service.completeLink(racer, code)));
    const won = results.filter((result) => result.status === 'fulfilled');
    const lost = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]?.reason).toMatchObject({ code: 'link_code_used' });
    expect((await stack.service.account(fay)).identities).toHaveLength(2);
    const loser = racers[results.indexOf(lost[0] as PromiseRejectedResult)] as Owner;
    expect((await stack.service.account(loser)).identities).toHaveLength(1);
  });

  it('links once when two identities enter each other’s codes at the same moment (no deadlock)', async () => {
    const gus = discord('gus-1');
    const gusBot = mcp('gus-assistant');
    const [gusCode, botCode] = [await stack.service.startLink(gus), await stack.service.startLink(gusBot)];
    const results = await Promise.allSettled([
      stack.service.completeLink(gus, botCode.code),
      stack.service.completeLink(gusBot, gusCode.code),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(refused?.reason).toMatchObject({ code: 'already_linked' });
    expect((await stack.service.account(gus)).identities).toHaveLength(2);
  });

  it('stops an identity after 5 wrong codes a minute, even with a right one, and lets it in a minute later', async () => {
    const hal = discord('hal-1');
    const halBot = mcp('hal-assistant');
    const code = (await stack.service.startLink(hal)).code;
    for (const guess of ['2222-2222', '3333-3333', '4444-4444', '5555-5555', '6666-6666']) {
      await expect(stack.service.completeLink(halBot, guess)).rejects.toMatchObject({ code: 'link_code_invalid' });
    }
    const before = await snapshot();
    await expect(stack.service.completeLink(halBot, code)).rejects.toMatchObject({
      code: 'link_rate_limited',
      message: expect.stringMatching(/Too many wrong link codes in the last minute; wait a minute/),
    });
    expect(await snapshot()).toEqual(before);
    // Another identity is not held up by hal-assistant's guesses.
    await expect(stack.service.completeLink(mcp('someone-else'), 'ZZZZ-ZZZ2')).rejects.toMatchObject({
      code: 'link_code_invalid',
    });
    clock.advance(60_001);
    await stack.service.completeLink(halBot, code);
    expect((await stack.service.account(hal)).identities).toHaveLength(2);
  });
});

describe('the daily budget of linked identities', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack();
  });
  afterAll(() => stack?.close());

  it('is one budget: 20 concurrent reservations split between two linked identities never exceed it; unlinked, each has its own', async () => {
    const db = stack.database.db;
    const registry = await testRegistry();
    const wan = registry.get('wan', 'video');
    const ivy = discord('ivy-1');
    const ivyBot = mcp('ivy-assistant');
    const users = [await upsertUser(db, ivy), await upsertUser(db, ivyBot)];
    const videos = await Promise.all(
      users.map(async (user) => {
        const { video } = await insertVideo(db, {
          user_id: user.id,
          mode: 'ad',
          prompt: 'budget',
          duration_s: 15,
          model_key: 'wan',
          provider: 'replicate',
        });
        return video;
      }),
    );
    await stack.service.completeLink(ivyBot, (await stack.service.startLink(ivy)).code);
    const payer = (i: number): GenerationPayer => {
      const video = videos[i % 2] as (typeof videos)[number];
      return {
        db,
        userId: video.user_id,
        videoId: video.id,
        stepKey: `${video.id}.chunk.0.1.${i}.${randomUUID()}`,
        provider: 'replicate',
        dailyBudgetUsd: 4,
      };
    };
    const reserve = (i: number) => reserveGeneration(payer(i), { kind: 'video', model: wan, outputSeconds: 5.0625 });
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => reserve(i)));
    const perCall = 5.0625 * 0.09;
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(Math.floor(4 / perCall));
    const { total } = await db
      .selectFrom('ledger')
      .select((eb) => eb.fn.sum<number>('estimated_usd').as('total'))
      .where(
        'user_id',
        'in',
        users.map((user) => user.id),
      )
      .executeTakeFirstOrThrow();
    expect(Number(total)).toBeLessThanOrEqual(4);
    await expect(reserve(1)).rejects.toMatchObject({ code: 'budget_exceeded' });

    // A cap set on one identity caps the account.
    await sql`update users set daily_budget_usd = 0.5 where id = ${users[1]?.id}`.execute(db);
    await expect(
      reserveGeneration({ ...payer(0), dailyBudgetUsd: 100 }, { kind: 'video', model: wan, outputSeconds: 1 }),
    ).rejects.toMatchObject({ code: 'budget_exceeded', details: { capUsd: 0.5 } });

    await stack.service.unlink(ivyBot);
    const spentBy = async (i: number) =>
      Number(
        (
          await db
            .selectFrom('ledger')
            .select((eb) => eb.fn.sum<number>('estimated_usd').as('total'))
            .where('user_id', '=', users[i]?.id as string)
            .executeTakeFirstOrThrow()
        ).total,
      );
    expect(await spentBy(0)).toBeLessThan(4);
    await expect(
      reserveGeneration({ ...payer(0), dailyBudgetUsd: 100 }, { kind: 'video', model: wan, outputSeconds: 1 }),
    ).resolves.toBeDefined();
  });
});
