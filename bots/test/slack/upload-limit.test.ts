import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/slack/action-ids.js';
import { actionIds, slackText } from '../../src/testing/fake-slack/index.js';
import { eventually, type SlackHarness, startSlackHarness } from './harness.js';

/** A file over the upload limit is not uploaded; its card says so and where to get it. */
describe('the Slack app with files over the upload limit', () => {
  let h: SlackHarness;

  beforeAll(async () => {
    h = await startSlackHarness({ maxUploadBytes: 1024 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('links instead of uploading: scene cards and the final card carry the note, no upload is made', async () => {
    const made = await h.createVideo('a kite over dunes', 5);
    await h.stack.service.settled(made.videoId);
    const final = await eventually(() => {
      const shown = h.videoMessage(made.videoId);
      return shown && actionIds(shown).includes(ACTION.restitch) ? shown : undefined;
    });
    expect(slackText(final)).toContain("final_take1.mp4 is over Slack's upload limit. Get it with `/video status`.");
    const card = await eventually(() => h.thread(made.videoId).find((m) => actionIds(m).includes(ACTION.regenerate)));
    expect(slackText(card)).toContain("scene_01_v1.mp4 is over Slack's upload limit.");
    expect(h.fake.callsOf('files.getUploadURLExternal')).toHaveLength(0);
  });
});
