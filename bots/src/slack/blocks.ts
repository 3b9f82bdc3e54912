import type { VideoView } from '@reelsmith/core';
import { costLine, statusLines, truncate } from '../shared/progress-text.js';
import type { RenderOffer } from '../shared/render-offer.js';
import type { SceneCardModel } from '../shared/scene-card.js';
import { ACTION, actionValue } from './action-ids.js';

/** A message for `chat.postMessage` / `chat.update`: notification text and Block Kit blocks. */
export interface SlackMessage {
  text: string;
  blocks: Array<Record<string, unknown>>;
}

/** Where a card's file is: an uploaded file's permalink, or a line saying why it is not attached. */
export type FileLink = { permalink: string; name: string } | { note: string } | undefined;

const WORKING = new Set(['queued', 'planning', 'storyboarding', 'generating', 'stitching', 'scoring']);
/** Slack's limits: section text 3000, button text 75, context element text 3000 (CONTRACTS.md). */
const SECTION_MAX = 3000;

/** Text for mrkdwn: Slack reads `&`, `<` and `>` as markup, so a user's prompt has them escaped. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text: truncate(text, SECTION_MAX) });
const section = (text: string, blockId?: string) => ({
  type: 'section',
  ...(blockId ? { block_id: blockId } : {}),
  text: mrkdwn(text),
});
const context = (...lines: string[]) => ({ type: 'context', elements: lines.filter(Boolean).map(mrkdwn) });
const button = (text: string, actionId: string, value: string, style?: 'primary' | 'danger') => ({
  type: 'button',
  text: { type: 'plain_text', text: truncate(text, 75) },
  action_id: actionId,
  value,
  ...(style ? { style } : {}),
});
const actions = (blockId: string, ...elements: Array<Record<string, unknown>>) => ({
  type: 'actions',
  block_id: blockId,
  elements,
});

function fileLine(file: FileLink): string {
  if (!file) return '';
  return 'note' in file ? file.note : `▶ <${file.permalink}|${escapeMrkdwn(file.name)}>`;
}

/**
 * The video's message in the channel: live progress while it works (with Cancel), the approval
 * question while it waits (Approve / Cancel), the final card once ready (the stitched video's
 * file, cost, Re-stitch, and `Render for $X` on a preview when `render` is offered), or what went
 * wrong. At most 5 blocks whatever the video's length.
 */
export function videoCard(view: VideoView, finalVideo: FileLink, render?: RenderOffer): SlackMessage {
  const title = `*${escapeMrkdwn(truncate(view.prompt, 200))}*`;
  const id = `\`${view.videoId}\``;
  if (view.status === 'awaiting_approval') {
    return {
      text: `Approve video ${view.videoId}? ${costLine(view)}`,
      blocks: [
        section(`${title}\n${escapeMrkdwn(view.message ?? 'Waiting for approval.')}`),
        context(costLine(view), id),
        actions(
          'video_actions',
          button('Approve', ACTION.approve, actionValue(view.videoId), 'primary'),
          button('Cancel', ACTION.cancel, actionValue(view.videoId), 'danger'),
        ),
      ],
    };
  }
  if (view.status === 'ready') {
    const facts = [`Ready · take ${view.take?.number ?? 1} · ${view.durationS} s`, costLine(view)].join('\n');
    return {
      text: `Video ready: ${truncate(view.prompt, 200)}`,
      blocks: [
        section(
          `${title}\n${facts}${view.message && view.message !== 'Ready.' ? `\n${escapeMrkdwn(view.message)}` : ''}`,
        ),
        context(fileLine(finalVideo) || 'The stitched video is in the thread.', id),
        actions(
          'video_actions',
          button('Re-stitch', ACTION.restitch, actionValue(view.videoId)),
          ...(render ? [button(render.label, ACTION.render, actionValue(view.videoId), 'primary')] : []),
        ),
      ],
    };
  }
  const failed = view.status === 'failed' || view.status === 'cancelled';
  const lines = failed
    ? [view.status === 'failed' ? `Failed: ${view.error?.message ?? view.message ?? ''}` : 'Cancelled.']
    : statusLines(view);
  const blocks: Array<Record<string, unknown>> = [section(`${title}\n${escapeMrkdwn(lines.join('\n'))}`), context(id)];
  if (WORKING.has(view.status))
    blocks.push(actions('video_actions', button('Cancel', ACTION.cancel, actionValue(view.videoId), 'danger')));
  return { text: `${truncate(view.prompt, 100)} — ${lines[0] ?? view.status}`, blocks };
}

/** One scene's card in the video's thread: title and time range, prompt, model · version · cost, clip, actions. */
export function sceneCard(videoId: string, scene: SceneCardModel, clip: FileLink): SlackMessage {
  const versions = scene.versions?.replace(/\*\*/g, '*');
  const buttons = [
    button('Regenerate', ACTION.regenerate, actionValue(videoId, scene.index), 'primary'),
    button('Edit prompt', ACTION.editPrompt, actionValue(videoId, scene.index)),
    ...(scene.canLipsync ? [button('Lipsync', ACTION.lipsync, actionValue(videoId, scene.index))] : []),
  ];
  return {
    text: `${scene.title}: ${truncate(scene.prompt, 200)}`,
    blocks: [
      section(`*${scene.title}*\n${escapeMrkdwn(scene.prompt)}`, `scene_${scene.index}`),
      context(
        [scene.facts, versions].filter(Boolean).join('  ·  '),
        ...(scene.note ? [escapeMrkdwn(scene.note)] : []),
        fileLine(clip),
      ),
      actions(`scene_${scene.index}_actions`, ...buttons),
    ],
  };
}

/** The reply broadcast to the channel when a take is stitched. */
export function readyBroadcast(view: VideoView, finalVideo: FileLink): SlackMessage {
  const line = `🎬 Take ${view.take?.number ?? 1} of *${escapeMrkdwn(truncate(view.prompt, 200))}* is ready · ${view.durationS} s · ${costLine(view)}`;
  return {
    text: `Take ${view.take?.number ?? 1} is ready`,
    blocks: [section(line), context(fileLine(finalVideo) || 'The stitched video is in the thread.')],
  };
}
