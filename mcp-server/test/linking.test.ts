import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EPHEMERAL } from '../../bots/src/testing/fake-discord/index.js';
import {
  ADA as DISCORD_ADA,
  type DiscordHarness,
  startDiscordHarness,
  textOf,
} from '../../bots/test/discord/harness.js';
import { snapshot } from '../../bots/test/shared/snapshot.js';
import {
  eventually,
  ADA as SLACK_ADA,
  type SlackHarness,
  startSlackHarness,
  videoIdIn,
} from '../../bots/test/slack/harness.js';
import type { TestStack } from '../../core/test/helpers/pipeline.js';
import { VIEWER_URI } from '../src/viewer/viewer-resource.js';
import { type ConnectedClient, connectInMemory } from './helpers/in-memory.js';
import { ToolCaller, type ToolOutput } from './helpers/tools.js';

const CODE = /`([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4})`/;

/** A clock the tests move: link codes expire by it. */
function testClock() {
  let nowMs = Date.now();
  return { now: () => new Date(nowMs), advance: (ms: number) => (nowMs += ms) };
}

/** Who is linked to whom and every code's state, beside the rows and files a refusal must not touch. */
async function linkState(stack: TestStack) {
  const db = stack.database.db;
  return {
    rows: await snapshot(stack),
    users: await db.selectFrom('users').select(['id', 'linked_to']).orderBy('id').execute(),
    codes: await db.selectFrom('link_codes').select(['id', 'expires_at', 'used_at', 'used_by']).orderBy('id').execute(),
  };
}

describe('one identity across Discord and an MCP assistant', () => {
  let h: DiscordHarness;
  let assistant: ConnectedClient;
  let mallory: ConnectedClient;
  let tools: ToolCaller;
  let videoId: string;
  const clock = testClock();

  beforeAll(async () => {
    h = await startDiscordHarness({ stack: { clock: clock.now } });
    assistant = await connectInMemory(h.stack.service, 'ada-assistant');
    mallory = await connectInMemory(h.stack.service, 'mallory');
    tools = new ToolCaller(assistant.client);
  });
  afterAll(async () => {
    await assistant?.close();
    await mallory?.close();
    await h?.close();
  });

  const discord = async (subcommand: string, code?: string) => {
    const interaction = h.command(subcommand, code === undefined ? [] : [{ name: 'code', type: 3, value: code }]);
    const callback = await interaction.callback;
    expect(Number(callback.data?.flags) & EPHEMERAL).toBe(EPHEMERAL);
    return h.reply(interaction);
  };
  const sceneCard = (n: number) => {
    const progress = h.fake.messages().find((message) => textOf(message).includes('a paper lantern'));
    const threadId = progress?.thread?.id;
    return threadId
      ? h.fake.messages(threadId).find((message) => textOf(message).startsWith(`**Scene ${n}/`))
      : undefined;
  };
  const notFound = () => new RegExp(`No video ${videoId} found for you`);

  it('shows a video made in Discord to the assistant only once linked with the code /video link shows', async () => {
    const created = h.command('create', [
      { name: 'prompt', type: 3, value: 'a paper lantern drifting over a lake' },
      { name: 'duration', type: 4, value: 5 },
      { name: 'model', type: 3, value: 'tiny' },
    ]);
    videoId = /`([0-9a-f-]{36})`/.exec(await h.reply(created))?.[1] as string;
    await h.stack.service.settled(videoId);
    await eventually(() => sceneCard(1));

    await tools.refused('get_video', { video_id: videoId }, notFound());
    await tools.refused('regenerate_scene', { video_id: videoId, scene: 1 }, notFound());
    expect((await assistant.client.listResources()).resources.map((r) => r.uri)).toEqual([VIEWER_URI]);

    const reply = await discord('link');
    const code = CODE.exec(reply)?.[1] as string;
    expect(reply).toMatch(/works once, for 10 minutes/);
    expect(reply).toContain('link_account');
    const linked = await tools.ok('link_account', { code });
    expect(linked.status).toBe('linked');
    expect(linked.identities).toEqual([
      { platform: 'mcp', user: 'ada-assistant', display_name: null, you: true },
      { platform: 'discord', user: DISCORD_ADA.id, display_name: DISCORD_ADA.username, you: false },
    ]);

    expect((await tools.ok('get_video', { video_id: videoId })).status).toBe('ready');
    const regenerated = await tools.ok('regenerate_scene', {
      video_id: videoId,
      scene: 1,
      prompt: 'the lantern rising into fog',
      wait_seconds: 50,
    });
    expect(regenerated.scenes[0].current_version).toBe(2);
    // The Discord front delivers the change made from the assistant, on the video's own card.
    await eventually(() => sceneCard(1) && textOf(sceneCard(1) as never).includes('**v2**'));
    expect((await assistant.client.listResources()).resources.map((r) => r.uri)).toEqual([
      VIEWER_URI,
      `reelsmith://videos/${videoId}`,
    ]);
  });

  it('takes the video away from the assistant again on unlink_account, and Discord keeps it', async () => {
    const unlinked = await tools.ok('unlink_account', {});
    expect(unlinked.detached).toMatchObject({ platform: 'mcp', you: true });
    expect(unlinked.identities).toHaveLength(1);
    await tools.refused('get_video', { video_id: videoId }, notFound());
    await tools.refused('stitch_video', { video_id: videoId }, notFound());
    expect((await assistant.client.listResources()).resources.map((r) => r.uri)).toEqual([VIEWER_URI]);
    expect(await discord('status')).toContain(videoId);
    await tools.refused('unlink_account', {}, /not linked to any other; there is nothing to unlink/);
  });

  it('links the other way round: a code from link_account typed as /video link CODE, undone by /video unlink', async () => {
    const issued = await tools.ok('link_account', {});
    expect(issued.status).toBe('code_issued');
    expect(issued.expires_in_seconds).toBe(600);
    expect(issued.instructions).toContain(`/video link ${issued.code}`);
    expect(await discord('link', issued.code)).toMatch(
      /^Linked: this Discord identity now shares videos, uploads and the daily budget with AI assistant \(MCP\) `ada-assistant`/,
    );
    expect((await tools.ok('get_video', { video_id: videoId })).video_id).toBe(videoId);
    expect(await discord('unlink')).toMatch(/^Unlinked: this Discord identity sees only the videos it made itself/);
    await tools.refused('get_video', { video_id: videoId }, notFound());
  });

  it('refuses a wrong, expired or used code on either front, clearly, changing nothing', async () => {
    await tools.ok('link_account', {});
    let before = await linkState(h.stack);
    expect(await discord('link', 'ZZZZ-ZZZZ')).toMatch(/ZZZZ-ZZZZ is not a valid link code; check it/);
    expect(await discord('link', 'nope')).toMatch(/is not a link code: a code is 8 letters and digits/);
    await tools.refused('link_account', { code: 'ZZZZ-ZZZZ' }, /not a valid link code/);
    expect(await linkState(h.stack)).toEqual(before);

    const expiring = (await tools.ok<ToolOutput>('link_account', {})).code as string;
    before = await linkState(h.stack);
    clock.advance(601_000);
    expect(await discord('link', expiring)).toMatch(/has expired \(a code lasts 10 minutes/);
    expect(await linkState(h.stack)).toEqual(before);

    const once = CODE.exec(await discord('link'))?.[1] as string;
    await tools.ok('link_account', { code: once });
    const malloryTools = new ToolCaller(mallory.client);
    await malloryTools.refused('get_video', { video_id: videoId }, notFound());
    before = await linkState(h.stack);
    await malloryTools.refused('link_account', { code: once }, /was already used; a code links once/);
    await malloryTools.refused('get_video', { video_id: videoId }, notFound());
    expect(await linkState(h.stack)).toEqual(before);
    await tools.ok('unlink_account', {});
  });

  it('lets only one of two assistants racing for one Discord code link', async () => {
    const code = CODE.exec(await discord('link'))?.[1] as string;
    const racers = [tools, new ToolCaller(mallory.client)];
    const results = await Promise.all(racers.map((racer) => racer.call('link_account', { code })));
    expect(results.filter((result) => !result.isError)).toHaveLength(1);
    expect(results.filter((result) => result.isError)).toHaveLength(1);
    expect(results.find((result) => result.isError)?._meta?.['reelsmith/error_code']).toBe('link_code_used');
    expect(
      (await h.stack.service.account({ platform: 'discord', platformUserId: DISCORD_ADA.id })).identities,
    ).toHaveLength(2);
    const winner = results[0]?.isError ? racers[1] : racers[0];
    const loser = results[0]?.isError ? racers[0] : racers[1];
    expect((await winner?.ok('get_video', { video_id: videoId }))?.video_id).toBe(videoId);
    await loser?.refused('get_video', { video_id: videoId }, notFound());
  });
});

describe('one identity across Slack and an MCP assistant', () => {
  let h: SlackHarness;
  let assistant: ConnectedClient;
  let tools: ToolCaller;

  beforeAll(async () => {
    h = await startSlackHarness();
    assistant = await connectInMemory(h.stack.service, 'ada-assistant');
    tools = new ToolCaller(assistant.client);
  });
  afterAll(async () => {
    await assistant?.close();
    await h?.close();
  });

  /** The ephemeral answer to `/video <text>`: the ack itself, or what replaced "One moment…". */
  const slack = async (text: string) => {
    const { response, responseUrl } = await h.fake.command(text);
    expect(response.json?.response_type).toBe('ephemeral');
    if (!String(response.json?.text).endsWith('…')) return String(response.json?.text);
    const answer = await eventually(() => h.fake.responses.find((r) => r.responseUrl === responseUrl));
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    return String(answer.body.text);
  };

  it('links with /video link CODE (code from link_account) and with link_account CODE (code from /video link); /video unlink undoes it', async () => {
    const videoId = videoIdIn(await slack('a red kite over the sea --duration 5 --model tiny'));
    await h.stack.service.settled(videoId);
    const notFound = new RegExp(`No video ${videoId} found for you`);
    await tools.refused('get_video', { video_id: videoId }, notFound);

    const issued = await tools.ok('link_account', {});
    expect(await slack(`link ${issued.code.toLowerCase()}`)).toMatch(
      /^Linked: this Slack identity now shares videos, uploads and the daily budget with AI assistant \(MCP\) `ada-assistant`/,
    );
    expect((await tools.ok('get_video', { video_id: videoId })).status).toBe('ready');
    expect((await tools.ok('stitch_video', { video_id: videoId, wait_seconds: 50 })).take.number).toBe(2);

    expect(await slack('unlink')).toMatch(/^Unlinked: this Slack identity sees only the videos it made itself/);
    await tools.refused('get_video', { video_id: videoId }, notFound);

    const reply = await slack('link');
    expect(reply).toMatch(/type `\/video link [2-9A-Z-]+` in Discord/);
    const linked = await tools.ok('link_account', { code: CODE.exec(reply)?.[1] });
    expect(linked.identities.map((i: { platform: string; user: string }) => [i.platform, i.user])).toEqual([
      ['mcp', 'ada-assistant'],
      ['slack', `${h.fake.teamId}:${SLACK_ADA.id}`],
    ]);
    expect((await tools.ok('get_video', { video_id: videoId })).video_id).toBe(videoId);
    expect(await slack('link')).toMatch(/Already linked with AI assistant \(MCP\) `ada-assistant`/);
  });
});
