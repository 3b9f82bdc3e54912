import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paidStandIn } from '../../../core/test/helpers/paid-stand-in.js';
import { ACTION } from '../../src/slack/action-ids.js';
import { actionIds, type FakeSlackMessage, slackText } from '../../src/testing/fake-slack/index.js';
import { ADA, BOB, eventually, type SlackHarness, startSlackHarness, videoIdIn } from './harness.js';

const UPDATE_INTERVAL_MS = 300;

describe('the Slack notification consumer and retries', () => {
  let h: SlackHarness;

  beforeAll(async () => {
    h = await startSlackHarness({ updateIntervalMs: UPDATE_INTERVAL_MS, apiTimeoutMs: 700 });
  });
  afterAll(async () => {
    await h?.close();
  });

  const videosOf = async () => (await h.stack.service.list(h.owner(), { limit: 50 })).map((v) => v.videoId);
  const ready = async (videoId: string) => {
    await h.stack.service.settled(videoId);
    await eventually(async () => {
      const view = await h.stack.service.get(h.owner(), videoId);
      const shown = h.videoMessage(videoId);
      return view.status === 'ready' && shown && slackText(shown).includes(`take ${view.take?.number}`);
    });
  };
  const sceneCard = (videoId: string, n: number) =>
    h
      .thread(videoId)
      .find(
        (m) => actionIds(m).includes(ACTION.regenerate) && slackText(m).includes(`*Scene ${n}/`),
      ) as FakeSlackMessage;

  let videoId: string;

  it('an app_mention and its Events API retries (X-Slack-Retry-Num) make one video, answered once', async () => {
    const before = await videosOf();
    const event = {
      type: 'app_mention',
      user: ADA.id,
      text: '<@U0REELBOT> a paper boat on a pond --duration 10 --model tiny',
      channel: h.fake.channelId,
      ts: '1796270000.000100',
      event_ts: '1796270000.000100',
    };
    // The upload's completion answers too late (the client times out) although Slack carried it out.
    h.fake.faults.hangNext('files.completeUploadExternal', 1500);
    const answers = [
      await h.fake.event(event, { eventId: 'Ev0MENTION1' }),
      await h.fake.event(event, { eventId: 'Ev0MENTION1', retryNum: 1 }),
      await h.fake.event(event, { eventId: 'Ev0MENTION1', retryNum: 2 }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const told = await eventually(() =>
      h.fake.ephemerals().find((c) => String(c.args.text).startsWith('Video `') && c.args.user === ADA.id),
    );
    videoId = videoIdIn(String(told.args.text));
    await ready(videoId);
    expect((await videosOf()).filter((id) => !before.includes(id))).toEqual([videoId]);
    expect(h.fake.ephemerals().filter((c) => String(c.args.text).includes(videoId))).toHaveLength(1);
  });

  it('a timed-out upload is checked with files.info before retrying: every file is shared once', async () => {
    const [hung] = h.fake.callsOf('files.completeUploadExternal');
    const hungFile = hung ? (hung.args.files as Array<{ id: string }>)[0]?.id : undefined;
    expect(hungFile).toBeDefined();
    // The app's client gave up on that answer (it timed out) although Slack had shared the file.
    expect(hung?.abandoned).toBe(true);
    const completions = h.fake
      .callsOf('files.completeUploadExternal')
      .filter((c) => (c.args.files as Array<{ id: string }>)[0]?.id === hungFile);
    expect(completions).toHaveLength(1);
    expect(h.fake.callsOf('files.info').some((c) => c.args.file === hungFile)).toBe(true);
    const shared = h.thread(videoId).flatMap((m) => m.files ?? []);
    expect(new Set(shared).size).toBe(shared.length);
    const view = await h.stack.service.get(h.owner(), videoId);
    expect(shared).toHaveLength(view.scenes.length + 2);
  });

  it('edits the progress message at most once per interval', async () => {
    const progress = h.videoMessage(videoId) as FakeSlackMessage;
    expect(progress.updates.length).toBeGreaterThan(1);
    const gaps = progress.updates.slice(1).map((at, i) => at - (progress.updates[i] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(UPDATE_INTERVAL_MS - 5);
  });

  it('a double click on Regenerate makes one job', async () => {
    const card = sceneCard(videoId, 1);
    await Promise.all([h.fake.action(card, ACTION.regenerate), h.fake.action(card, ACTION.regenerate)]);
    const answers = await eventually(() => {
      const texts = h.fake
        .ephemerals()
        .slice(-2)
        .map((c) => String(c.args.text));
      return texts.length === 2 && texts.some((t) => t === 'Regenerating scene 1…') ? texts : undefined;
    });
    expect(answers.filter((t) => t === 'Regenerating scene 1…')).toHaveLength(1);
    await ready(videoId);
    expect((await h.stack.service.get(h.owner(), videoId)).scenes[0]?.versions).toHaveLength(2);
  });

  it('a 429 waits for Retry-After, then the post goes through once', async () => {
    h.fake.faults.rateLimitNext('chat.postMessage', 1);
    const made = await h.createVideo('a lighthouse at dusk', 5);
    await ready(made.videoId);
    const posts = h.fake.callsOf('chat.postMessage');
    const limited = posts.findIndex((c) => c.error === 'ratelimited');
    expect(limited).toBeGreaterThanOrEqual(0);
    const retry = posts[limited + 1];
    expect(retry?.ok).toBe(true);
    expect((retry?.at ?? 0) - (posts[limited]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(h.fake.messages().filter((m) => slackText(m).includes(made.videoId))).toHaveLength(1);
  });

  it('after an app restart the old cards still work, and nothing is posted twice', async () => {
    const cardsBefore = h.thread(videoId).filter((m) => actionIds(m).includes(ACTION.regenerate)).length;
    const said = () => h.fake.ephemerals().filter((c) => c.args.text === 'Regenerating scene 1…').length;
    const saidBefore = said();
    await h.restartApp();
    await h.fake.action(sceneCard(videoId, 1), ACTION.regenerate);
    await eventually(() => said() === saidBefore + 1);
    await ready(videoId);
    await eventually(() => slackText(sceneCard(videoId, 1)).includes('v1 · v2 · *v3*'));
    expect(h.thread(videoId).filter((m) => actionIds(m).includes(ACTION.regenerate))).toHaveLength(cardsBefore);
    const shared = h.thread(videoId).flatMap((m) => m.files ?? []);
    expect(new Set(shared).size).toBe(shared.length);
    expect(h.fake.messages().filter((m) => slackText(m).includes(videoId))).toHaveLength(1);
  });
});

describe('the Slack approval card', () => {
  let h: SlackHarness;
  const paid = paidStandIn();

  beforeAll(async () => {
    h = await startSlackHarness({
      stack: { providers: paid.providers, approvalThresholdUsd: 0.05, dailyBudgetUsd: 5 },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('asks before spending over the threshold; only the owner’s Approve starts the render', async () => {
    const { responseUrl } = await h.fake.command('a silver watch on black velvet --duration 5');
    const answer = await eventually(() => h.fake.responses.find((r) => r.responseUrl === responseUrl));
    expect(String(answer.body.text)).toContain('waits for your approval');
    const videoId = videoIdIn(String(answer.body.text));
    const card = await eventually(() => {
      const shown = h.videoMessage(videoId);
      return shown && actionIds(shown).includes(ACTION.approve) ? shown : undefined;
    });
    expect(actionIds(card)).toEqual([ACTION.approve, ACTION.cancel]);
    expect(slackText(card)).toMatch(/\$\d+\.\d\d/);
    expect(paid.calls.count).toBe(0);

    await h.fake.action(card, ACTION.approve, { user: BOB });
    await eventually(() =>
      h.fake.ephemerals().find((c) => c.args.user === BOB.id && /not yours/.test(String(c.args.text))),
    );
    expect((await h.stack.service.get(h.owner(), videoId)).status).toBe('awaiting_approval');
    expect(paid.calls.count).toBe(0);

    await h.fake.action(card, ACTION.approve);
    // The answer comes once approve has handed the work to the runner; only then can it be waited on.
    await eventually(() =>
      h.fake.ephemerals().find((c) => c.args.user === ADA.id && c.args.text === 'Approved: the video starts now.'),
    );
    await h.stack.service.settled(videoId);
    expect((await h.stack.service.get(h.owner(), videoId)).status).toBe('ready');
    expect(paid.calls.count).toBeGreaterThan(0);
    await eventually(() => {
      const shown = h.videoMessage(videoId);
      return shown && actionIds(shown).includes(ACTION.restitch) && !actionIds(shown).includes(ACTION.approve);
    });
  });
});
