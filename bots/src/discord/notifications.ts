import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeliveryView, FileLink, Logger, NotificationJobData, VideoService, VideoView } from '@reelsmith/core';
import { DiscordAPIError, type REST, Routes } from 'discord.js';
import { createKeyedSequencer } from '../shared/in-order.js';
import { truncate } from '../shared/progress-text.js';
import { renderOffer } from '../shared/render-offer.js';
import { sceneCardModel } from '../shared/scene-card.js';
import { createTrailingRefresh } from '../shared/trailing-refresh.js';
import { type CardMedia, type CardMessage, contactSheetCard, sceneCard, videoCard } from './cards.js';

/** What the bot recorded about a video's messages (kept in the video's origin, in Postgres). */
interface DiscordDelivery {
  channelId: string;
  uploadLimitBytes?: number;
  progressMessageId?: string;
  lastEditAt?: number;
  threadId?: string;
  threadsRefused?: boolean;
  contactSheetMessageId?: string;
  /** Scene number → its card's message id, and the version that card shows. */
  sceneMessages?: Record<string, string>;
  sceneVersions?: Record<string, number>;
}

export interface DiscordNotifierOptions {
  rest: REST;
  service: VideoService;
  log: Logger;
  /** Least time between two progress edits of one message, ms (Discord rate-limits edits). Default 2000. */
  editIntervalMs?: number;
}

const DEFAULT_UPLOAD_LIMIT = 10 * 1024 * 1024;

/**
 * The `notify-discord` consumer's handler: turns a video's events into its messages, from the
 * video's current state in Postgres (so a late or repeated event shows the truth, not a stale
 * one). One message per video stays in the channel: live progress (edits at most every
 * `editIntervalMs`, except for events that change what the card says), then the approval question,
 * the stitched video with its cost, or the failure. Scene cards and the storyboard go in a thread
 * started from it, or in the channel when the bot may not create threads. Events of one video are
 * handled in order; message ids are recorded at once, so a restarted bot edits what it posted.
 */
export function createDiscordNotifier(options: DiscordNotifierOptions) {
  const { rest, service, log } = options;
  const editIntervalMs = options.editIntervalMs ?? 2000;

  /**
   * Posts a message once: the nonce (from `onceKey`) with `enforce_nonce` makes Discord answer a
   * repeat within minutes with the message already posted (a bot that died before recording the id).
   */
  const post = async (channelId: string, card: CardMessage, onceKey: string): Promise<string> => {
    const nonce = createHash('sha256').update(onceKey).digest('base64url').slice(0, 25);
    const message = (await rest.post(Routes.channelMessages(channelId), {
      body: { ...card.body, nonce, enforce_nonce: true },
      files: card.files,
    })) as { id: string };
    return message.id;
  };
  const edit = async (channelId: string, messageId: string, card: CardMessage) => {
    await rest.patch(Routes.channelMessage(channelId, messageId), { body: card.body, files: card.files });
  };
  const media = async (view: VideoView, link: FileLink | null, limit: number, name: string): Promise<CardMedia> => {
    if (!link) return undefined;
    const file = await service.delivery.file(view.videoId, link.key, limit);
    if ('bytes' in file)
      return { name, data: file.bytes, contentType: name.endsWith('.png') ? 'image/png' : 'video/mp4' };
    const where = 'url' in link ? ` Download it: ${link.url}` : ' Get it with `/video status`.';
    return { tooLarge: `${name} is over the ${Math.round(limit / 1048576)} MiB upload limit here.${where}` };
  };

  const inOrder = createKeyedSequencer();

  /** Loads what the bot recorded about a video, with a `record` that updates it in place and in Postgres. */
  const load = async (videoId: string) => {
    const delivery = await service.delivery.get(videoId);
    const state = delivery.origin as unknown as DiscordDelivery;
    const record = (patch: Partial<DiscordDelivery>) => {
      Object.assign(state, patch);
      return service.delivery.record(videoId, patch);
    };
    return { delivery, view: delivery.view, state, record, limit: state.uploadLimitBytes ?? DEFAULT_UPLOAD_LIMIT };
  };
  type Loaded = Awaited<ReturnType<typeof load>>;

  const showProgress = async ({ delivery, view, state, record, limit }: Loaded) => {
    const finalVideo = view.status === 'ready' ? await media(view, view.final, limit, 'final.mp4') : undefined;
    const card = videoCard(view, finalVideo, await renderOffer(service, delivery.owner, view));
    if (state.progressMessageId) {
      await edit(state.channelId, state.progressMessageId, card);
      await record({ lastEditAt: Date.now() });
    } else {
      const progressMessageId = await post(state.channelId, card, `progress:${view.videoId}`);
      await record({ progressMessageId, lastEditAt: Date.now() });
    }
  };

  const trailing = createTrailingRefresh({
    log,
    inOrder,
    refresh: async (videoId) => {
      const loaded = await load(videoId);
      const wait = (loaded.state.lastEditAt ?? 0) + editIntervalMs - Date.now();
      if (wait <= 0) await showProgress(loaded);
      return wait;
    },
  });

  const handle = async ({ event }: NotificationJobData) => {
    const loaded = await load(event.videoId);
    const { delivery, view, state, record, limit } = loaded;
    // The channel message is edited at most once per `editIntervalMs`: a progress event inside the
    // interval leaves a trailing edit; any other event (it changes what the card says) waits its turn.
    const wait = state.progressMessageId ? (state.lastEditAt ?? 0) + editIntervalMs - Date.now() : 0;
    if (wait <= 0) await showProgress(loaded);
    else if (event.kind === 'progress') trailing.later(view.videoId, wait);
    else {
      await sleep(wait);
      await showProgress(loaded);
    }

    if (event.kind === 'storyboard_ready' && !state.contactSheetMessageId && view.contactSheet) {
      const target = await cardChannel(delivery, state, record);
      const sheet = await media(view, view.contactSheet, limit, 'storyboard.png');
      await record({
        contactSheetMessageId: await post(target, contactSheetCard(sheet), `sheet:${view.videoId}`),
      });
    }
    if (event.kind === 'scene_ready' || event.kind === 'video_ready') {
      for (const scene of view.scenes) {
        if (scene.currentVersion === null || state.sceneVersions?.[scene.index] === scene.currentVersion) continue;
        const target = await cardChannel(delivery, state, record);
        const model = sceneCardModel(view, scene);
        const clip = await media(
          view,
          scene.clip,
          limit,
          `scene_${String(scene.index).padStart(2, '0')}_v${scene.currentVersion}.mp4`,
        );
        const card = sceneCard(view.videoId, model, clip);
        const existing = state.sceneMessages?.[scene.index];
        if (existing) await edit(target, existing, card);
        const id = existing ?? (await post(target, card, `scene:${view.videoId}:${scene.index}`));
        await record({
          sceneMessages: { ...state.sceneMessages, [scene.index]: id },
          sceneVersions: { ...state.sceneVersions, [scene.index]: scene.currentVersion },
        });
      }
    }
  };

  /** Where scene cards go: the video's thread (started on first use), or the channel when threads are refused. */
  const cardChannel = async (
    delivery: DeliveryView,
    state: DiscordDelivery,
    record: (patch: Partial<DiscordDelivery>) => Promise<void>,
  ): Promise<string> => {
    if (state.threadId) return state.threadId;
    if (state.threadsRefused || !state.progressMessageId) return state.channelId;
    try {
      const thread = (await rest.post(Routes.threads(state.channelId, state.progressMessageId), {
        body: { name: truncate(`Scenes · ${delivery.view.prompt}`, 100), auto_archive_duration: 10080 },
      })) as { id: string };
      await record({ threadId: thread.id });
      return thread.id;
    } catch (error) {
      if (!(error instanceof DiscordAPIError) || (error.status !== 403 && error.status !== 404)) throw error;
      log.info(
        { videoId: delivery.view.videoId, status: error.status },
        'no thread allowed here; scene cards go in the channel',
      );
      await record({ threadsRefused: true });
      return state.channelId;
    }
  };

  return {
    /** Handles one notification job; a video's events are handled one at a time, in order. */
    handle: (data: NotificationJobData): Promise<void> => inOrder(data.event.videoId, () => handle(data)),
    /** Drops pending trailing edits (the next event of each video shows its state). */
    close: () => trailing.close(),
  };
}
