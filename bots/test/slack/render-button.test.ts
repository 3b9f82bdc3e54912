import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paidStandIn } from '../../../core/test/helpers/paid-stand-in.js';
import { ACTION } from '../../src/slack/action-ids.js';
import { actionIds, type FakeSlackMessage, findButton, slackText } from '../../src/testing/fake-slack/index.js';
import { snapshot } from '../shared/snapshot.js';
import { ADA, BOB, eventually, type SlackHarness, startSlackHarness, videoIdIn } from './harness.js';

/** The answer to a `/video` command that was acknowledged with "Starting…" and answered by `response_url`. */
async function answerTo(h: SlackHarness, text: string): Promise<string> {
  const { response, responseUrl } = await h.fake.command(text);
  expect(response.status).toBe(200);
  if (!String(response.json?.text).endsWith('…')) return String(response.json?.text);
  const answer = await eventually(() => h.fake.responses.find((r) => r.responseUrl === responseUrl));
  return String(answer.body.text);
}

/** The video's channel message once it is the final card of a ready video. */
async function finalCard(h: SlackHarness, videoId: string): Promise<FakeSlackMessage> {
  await h.stack.service.settled(videoId);
  return eventually(() => {
    const shown = h.videoMessage(videoId);
    return shown && actionIds(shown).includes(ACTION.restitch) && slackText(shown).includes('Ready')
      ? shown
      : undefined;
  });
}

const renderLabel = (message: FakeSlackMessage) =>
  (findButton(message, ACTION.render)?.button.text as { text?: string } | undefined)?.text;

const rendersOf = (h: SlackHarness, previewId: string) =>
  h.stack.database.db.selectFrom('videos').select(['id', 'status']).where('preview_of', '=', previewId).execute();

const ephemeralsTo = (h: SlackHarness, user: string) =>
  h.fake
    .ephemerals()
    .filter((call) => call.args.user === user)
    .map((call) => String(call.args.text));

describe('Render for $X on a Slack preview’s final card (paid deployment)', () => {
  let h: SlackHarness;
  const paid = paidStandIn();
  let previewId: string;
  let card: FakeSlackMessage;
  let shown: { ids: string[]; text: string };
  let price: string;

  beforeAll(async () => {
    h = await startSlackHarness({
      stack: { providers: paid.providers, approvalThresholdUsd: 0.05, dailyBudgetUsd: 5 },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('makes a free preview with --preview; its final card offers the render at its estimate', async () => {
    const answer = await answerTo(h, 'a paper lantern rising over a lake --duration 5 --model tiny --preview');
    expect(answer).toMatch(/started \(a free animatic preview: its final card offers the paid render\)/);
    previewId = videoIdIn(answer);
    expect((await h.stack.service.get(h.owner(), previewId)).preview).toBe(true);
    card = await finalCard(h, previewId);
    expect(actionIds(card)).toEqual([ACTION.restitch, ACTION.render]);
    expect(findButton(card, ACTION.render)?.button.value).toBe(previewId);
    const estimate = await h.stack.service.estimateRender(h.owner(), previewId);
    expect(estimate.totalUsd).toBeGreaterThan(0.05);
    price = estimate.totalUsd.toFixed(2);
    expect(renderLabel(card)).toBe(`Render for $${price}`);
    shown = { ids: actionIds(card), text: slackText(card) };
    expect(paid.calls.count).toBe(0);
  });

  it('the form’s Preview first checkbox makes a preview too', async () => {
    const { triggerId } = await h.fake.command('');
    const form = await eventually(() => h.fake.views.find((view) => view.trigger_id === triggerId));
    const submitted = await h.fake.submitView(form, {
      prompt: { value: { type: 'plain_text_input', value: 'a paper boat on a pond' } },
      duration: { value: { type: 'static_select', selected_option: { value: '5' } } },
      model: { value: { type: 'static_select', selected_option: { value: 'tiny' } } },
      preview: { value: { type: 'checkboxes', selected_options: [{ value: 'preview' }] } },
    });
    expect(submitted.json?.response_action).toBeUndefined();
    const started = await eventually(() =>
      ephemeralsTo(h, ADA.id).find((text) => text.startsWith('Video `') && text.includes('free animatic preview')),
    );
    const view = await h.stack.service.get(h.owner(), videoIdIn(started));
    expect(view).toMatchObject({ preview: true, status: expect.not.stringMatching(/awaiting_approval/) });
    await h.stack.service.settled(view.videoId);
    expect(paid.calls.count).toBe(0);
  });

  it('refuses another user’s press ephemerally, changing nothing', async () => {
    const before = await snapshot(h.stack);
    await h.fake.action(card, ACTION.render, { user: BOB });
    await eventually(() => ephemeralsTo(h, BOB.id).find((text) => /not yours/.test(text)));
    expect(await rendersOf(h, previewId)).toEqual([]);
    expect(await snapshot(h.stack)).toEqual(before);
    expect(paid.calls.count).toBe(0);
  });

  it('the owner’s double press makes one render, which waits for approval with nothing paid', async () => {
    const answersBefore = ephemeralsTo(h, ADA.id).length;
    const presses = await Promise.all([h.fake.action(card, ACTION.render), h.fake.action(card, ACTION.render)]);
    for (const { response } of presses) {
      expect(response.status).toBe(200);
      expect(response.elapsedMs).toBeLessThan(3000);
    }
    const answers = await eventually(() => {
      const told = ephemeralsTo(h, ADA.id).slice(answersBefore);
      return told.length === 2 ? told : undefined;
    });
    const renders = await rendersOf(h, previewId);
    expect(renders).toHaveLength(1);
    const renderId = renders[0]?.id as string;
    expect(renders[0]?.status).toBe('awaiting_approval');
    expect(answers).toEqual(
      Array(2).fill(`Rendering as video \`${renderId}\` (≈ $${price}): it waits for your approval in this channel.`),
    );
    const render = await h.stack.service.get(h.owner(), renderId);
    expect(render).toMatchObject({ previewOf: previewId, preview: false, provider: 'replicate' });
    expect(render.cost.estimatedUsd.toFixed(2)).toBe(price);
    const ledger = await h.stack.database.db
      .selectFrom('ledger')
      .selectAll()
      .where('video_id', '=', renderId)
      .execute();
    expect(ledger).toEqual([]);
    expect(paid.calls.count).toBe(0);

    // Its own approval card, a new message in the channel; the preview's card stays as it was.
    const approval = await eventually(() => {
      const message = h.videoMessage(renderId);
      return message && actionIds(message).includes(ACTION.approve) ? message : undefined;
    });
    expect(approval.ts).not.toBe(card.ts);
    expect(findButton(approval, ACTION.approve)?.button.value).toBe(renderId);
    const preview = h.fake.message(h.fake.channelId, card.ts) as FakeSlackMessage;
    expect({ ids: actionIds(preview), text: slackText(preview) }).toEqual(shown);
  });

  it('a press while the preview is being re-stitched is refused: it is not ready', async () => {
    await h.fake.action(card, ACTION.restitch);
    await eventually(() => ephemeralsTo(h, ADA.id).find((text) => text.startsWith('Re-stitching')));
    const before = await snapshot(h.stack);
    const told = ephemeralsTo(h, ADA.id).length;
    await h.fake.action(card, ACTION.render);
    const answer = await eventually(() => ephemeralsTo(h, ADA.id)[told]);
    expect(answer).toMatch(/^Preview .* is (stitching|scoring); wait until it is ready/);
    expect((await snapshot(h.stack)).videos).toBe(before.videos);
    expect(await rendersOf(h, previewId)).toHaveLength(1);
    await h.stack.service.settled(previewId);
  });
});

describe('a Slack preview on a deployment with only the animatic', () => {
  let h: SlackHarness;

  beforeAll(async () => {
    h = await startSlackHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses a --preview with a value it does not understand, and --preview on estimate, changing nothing', async () => {
    const before = await snapshot(h.stack);
    expect(await answerTo(h, 'a cat --preview=maybe')).toMatch(/--preview takes no value/);
    expect(await answerTo(h, 'estimate a cat --preview')).toMatch(/Unknown option --preview/);
    expect(await snapshot(h.stack)).toEqual(before);
  });

  it('has no render button, and a forged press says what the deployment lacks, changing nothing', async () => {
    const answer = await answerTo(h, 'a paper lantern rising over a lake --duration 5 --model tiny --preview');
    expect(answer).toMatch(/started \(animatic preview: no Replicate token is set\)/);
    const videoId = videoIdIn(answer);
    const card = await finalCard(h, videoId);
    expect(actionIds(card)).toEqual([ACTION.restitch]);
    const forged: FakeSlackMessage = {
      ...card,
      blocks: [
        ...(card.blocks ?? []),
        {
          type: 'actions',
          block_id: 'forged',
          elements: [
            {
              type: 'button',
              action_id: ACTION.render,
              value: videoId,
              text: { type: 'plain_text', text: 'Render' },
            },
          ],
        },
      ],
    };
    const before = await snapshot(h.stack);
    await h.fake.action(forged, ACTION.render);
    const told = await eventually(() => ephemeralsTo(h, ADA.id).find((text) => /no paid provider/.test(text)));
    expect(told).toMatch(/REPLICATE_API_TOKEN/);
    expect(await snapshot(h.stack)).toEqual(before);
    expect(await rendersOf(h, videoId)).toEqual([]);
  });
});
