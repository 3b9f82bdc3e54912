import type { VideoView } from '@reelsmith/core';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  ContainerBuilder,
  MediaGalleryBuilder,
  MediaGalleryItemBuilder,
  MessageFlags,
  TextDisplayBuilder,
} from 'discord.js';
import { costLine, statusLines, truncate } from '../shared/progress-text.js';
import type { RenderOffer } from '../shared/render-offer.js';
import type { SceneCardModel } from '../shared/scene-card.js';
import { customId } from './custom-ids.js';

/** A message body for the REST API (Components V2), plus the files it shows by `attachment://name`. */
export interface CardMessage {
  body: { flags: number; components: unknown[]; attachments: Array<{ id: number; filename: string }> };
  files: Array<{ name: string; data: Buffer; contentType: string }>;
}

/** A file for a card: attached when it fits the upload limit, else a line saying where it is. */
export type CardMedia = { name: string; data: Buffer; contentType: string } | { tooLarge: string } | undefined;

const WORKING = new Set(['queued', 'planning', 'storyboarding', 'generating', 'stitching', 'scoring']);

function message(
  container: ContainerBuilder,
  rows: ActionRowBuilder<ButtonBuilder>[],
  media: CardMedia[],
): CardMessage {
  const files = media.filter((item): item is Extract<CardMedia, { name: string }> => Boolean(item && 'name' in item));
  return {
    body: {
      flags: MessageFlags.IsComponentsV2,
      components: [container.toJSON(), ...rows.map((row) => row.toJSON())],
      attachments: files.map((file, id) => ({ id, filename: file.name })),
    },
    files,
  };
}

function mediaInto(container: ContainerBuilder, media: CardMedia): void {
  if (!media) return;
  if ('tooLarge' in media) {
    container.addTextDisplayComponents(new TextDisplayBuilder().setContent(media.tooLarge));
    return;
  }
  container.addMediaGalleryComponents(
    new MediaGalleryBuilder().addItems(new MediaGalleryItemBuilder().setURL(`attachment://${media.name}`)),
  );
}

const button = (label: string, id: string, style = ButtonStyle.Secondary) =>
  new ButtonBuilder().setLabel(label).setCustomId(id).setStyle(style);

/**
 * The video's message in the channel: live progress while it works (with Cancel), the approval
 * question while it waits for one (Approve / Cancel), the stitched video and its cost once ready
 * (Re-stitch, and `Render for $X` on a preview when `render` is offered), or what went wrong.
 */
export function videoCard(view: VideoView, finalVideo: CardMedia, render?: RenderOffer): CardMessage {
  const container = new ContainerBuilder().addTextDisplayComponents(
    new TextDisplayBuilder().setContent(`**${truncate(view.prompt, 200)}**`),
  );
  const rows: ActionRowBuilder<ButtonBuilder>[] = [];
  if (view.status === 'awaiting_approval') {
    container.addTextDisplayComponents(
      new TextDisplayBuilder().setContent(`${view.message ?? 'Waiting for approval.'}\n${costLine(view)}`),
    );
    rows.push(
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        button('Approve', customId('approve', view.videoId), ButtonStyle.Success),
        button('Cancel', customId('cancel', view.videoId), ButtonStyle.Danger),
      ),
    );
    return message(container, rows, []);
  }
  if (view.status === 'ready') {
    container.addTextDisplayComponents(
      new TextDisplayBuilder().setContent(
        [
          `Ready · take ${view.take?.number ?? 1} · ${view.durationS} s`,
          view.message && view.message !== 'Ready.' ? view.message : '',
          costLine(view),
        ]
          .filter(Boolean)
          .join('\n'),
      ),
    );
    mediaInto(container, finalVideo);
    rows.push(
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        button('Re-stitch', customId('restitch', view.videoId)),
        ...(render ? [button(render.label, customId('render', view.videoId), ButtonStyle.Primary)] : []),
      ),
    );
    return message(container, rows, [finalVideo]);
  }
  const lines =
    view.status === 'failed' || view.status === 'cancelled'
      ? [view.status === 'failed' ? `Failed: ${view.error?.message ?? view.message ?? ''}` : 'Cancelled.']
      : statusLines(view);
  container.addTextDisplayComponents(new TextDisplayBuilder().setContent(lines.join('\n')));
  if (WORKING.has(view.status)) {
    rows.push(
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        button('Cancel', customId('cancel', view.videoId), ButtonStyle.Danger),
      ),
    );
  }
  return message(container, rows, []);
}

/** One scene's card: its number and time range, prompt, model, version and cost, its clip, and its buttons. */
export function sceneCard(videoId: string, scene: SceneCardModel, clip: CardMedia): CardMessage {
  const container = new ContainerBuilder()
    .addTextDisplayComponents(new TextDisplayBuilder().setContent(`**${scene.title}**`))
    .addTextDisplayComponents(new TextDisplayBuilder().setContent(scene.prompt))
    .addTextDisplayComponents(
      new TextDisplayBuilder().setContent([scene.facts, scene.versions, scene.note].filter(Boolean).join('\n')),
    );
  mediaInto(container, clip);
  const buttons = [
    button('Regenerate', customId('regen', videoId, scene.index), ButtonStyle.Primary),
    button('Edit prompt', customId('edit', videoId, scene.index)),
    ...(scene.canLipsync ? [button('Lipsync', customId('lipsync', videoId, scene.index))] : []),
  ];
  return message(container, [new ActionRowBuilder<ButtonBuilder>().addComponents(...buttons)], [clip]);
}

/** The storyboard at a glance. */
export function contactSheetCard(sheet: CardMedia): CardMessage {
  const container = new ContainerBuilder().addTextDisplayComponents(
    new TextDisplayBuilder().setContent('**Storyboard**'),
  );
  mediaInto(container, sheet);
  return message(container, [], [sheet]);
}
