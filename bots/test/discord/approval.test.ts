import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paidStandIn } from '../../../core/test/helpers/paid-stand-in.js';
import { EPHEMERAL } from '../../src/testing/fake-discord/index.js';
import {
  ADA,
  BOB,
  customIds,
  type DiscordHarness,
  eventually,
  ownerOf,
  startDiscordHarness,
  textOf,
} from './harness.js';

describe('the approval card', () => {
  let h: DiscordHarness;
  const paid = paidStandIn();

  beforeAll(async () => {
    h = await startDiscordHarness({
      stack: { providers: paid.providers, approvalThresholdUsd: 0.05, dailyBudgetUsd: 5 },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('asks before spending over the threshold; only the owner’s Approve starts the render', async () => {
    const interaction = h.command('create', [
      { name: 'prompt', type: 3, value: 'a silver watch on black velvet' },
      { name: 'duration', type: 4, value: 5 },
      { name: 'model', type: 3, value: 'tiny' },
    ]);
    const videoId = /`([0-9a-f-]{36})`/.exec(await h.reply(interaction))?.[1] as string;
    const card = await eventually(() =>
      h.fake.messages().find((message) => customIds(message).includes(`rs:approve:${videoId}`)),
    );
    expect(customIds(card)).toEqual(expect.arrayContaining([`rs:approve:${videoId}`, `rs:cancel:${videoId}`]));
    expect(textOf(card)).toMatch(/\$\d+\.\d\d/);
    expect(paid.calls.count).toBe(0);

    const refused = h.press(card, `rs:approve:${videoId}`, BOB);
    const refusal = await refused.callback;
    expect(Number(refusal.data?.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
    expect(await h.reply(refused)).toMatch(/not yours/);
    expect((await h.stack.service.get(ownerOf(ADA), videoId)).status).toBe('awaiting_approval');
    expect(paid.calls.count).toBe(0);

    const approved = h.press(card, `rs:approve:${videoId}`);
    // The reply comes once approve has handed the work to the runner; only then can it be waited on.
    expect(await h.reply(approved)).toBe('Approved: the video starts now.');
    await h.stack.service.settled(videoId);
    expect((await h.stack.service.get(ownerOf(ADA), videoId)).status).toBe('ready');
    expect(paid.calls.count).toBeGreaterThan(0);
    await eventually(() => {
      const shown = h.fake.message(card.id);
      return (
        shown &&
        customIds(shown).includes(`rs:restitch:${videoId}`) &&
        !customIds(shown).includes(`rs:approve:${videoId}`)
      );
    });
  });
});
