import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/slack/action-ids.js';
import { actionIds, slackText } from '../../src/testing/fake-slack/index.js';
import { eventually, type SlackHarness, startSlackHarness, videoIdIn } from './harness.js';

/** With SLACK_APP_TOKEN the app takes its requests over Socket Mode instead of HTTP: the same flow. */
describe('the Slack app in Socket Mode', () => {
  let h: SlackHarness;

  beforeAll(async () => {
    h = await startSlackHarness({ socketMode: true });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('connects with the app token, acks an envelope, and delivers the video like the HTTP receiver', async () => {
    expect(h.fake.callsOf('apps.connections.open').at(-1)).toMatchObject({ ok: true });
    await eventually(() => h.fake.socketConnections() > 0);
    const { ack, responseUrl } = await h.fake.socketCommand('a paper lantern on a river --duration 5 --model tiny');
    expect(ack).toMatchObject({ response_type: 'ephemeral', text: 'Starting your video…' });
    const answer = await eventually(() => h.fake.responses.find((r) => r.responseUrl === responseUrl));
    const videoId = videoIdIn(String(answer.body.text));
    await h.stack.service.settled(videoId);
    const final = await eventually(() => {
      const shown = h.videoMessage(videoId);
      return shown && actionIds(shown).includes(ACTION.restitch) ? shown : undefined;
    });
    expect(slackText(final)).toContain('Ready · take 1');

    const parse = await h.fake.socketCommand('a lantern --speed 3');
    expect(String(parse.ack.text)).toMatch(/Unknown option --speed/);
  });
});
