import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger, NotificationJobData, FileLink as StoredFile, VideoService } from '@reelsmith/core';
import { createKeyedSequencer } from '../shared/in-order.js';
import { renderOffer } from '../shared/render-offer.js';
import { sceneCardModel } from '../shared/scene-card.js';
import { createTrailingRefresh } from '../shared/trailing-refresh.js';
import { type FileLink, readyBroadcast, sceneCard, videoCard } from './blocks.js';
import { postOnce, type SlackDelivery, uploadOnce } from './deliveries.js';
import { PERMANENT_SLACK_ERRORS, type SlackCalls, slackError } from './slack-calls.js';

export interface SlackNotifierOptions {
  slack: SlackCalls;
  service: VideoService;
  log: Logger;
  /** Least time between two progress updates of one message, ms. Default 3000. */
  updateIntervalMs?: number;
  /** `chat.update` calls per minute per workspace (Slack's tier 3 is about 50). Default 50. */
  updatesPerMinute?: number;
  /** Least time between two posts in one channel, ms (Slack allows about one a second). Default 1000. */
  postIntervalMs?: number;
  /** Largest file uploaded; bigger ones are linked instead. Default 1 GB (Slack's limit). */
  maxUploadBytes?: number;
}

/**
 * The `notify-slack` consumer's handler: turns a video's events into its messages, from the
 * video's current state in Postgres (a late or repeated event shows the truth). The progress
 * message stays in the channel and becomes the final card; scene cards, the storyboard and the
 * clips go in its thread, and each finished take is broadcast to the channel. Progress updates
 * are throttled per message and per workspace; events of a video are handled in order; every
 * post and upload is recorded so a retry or a restart never shows anything twice.
 */
export function createSlackNotifier(options: SlackNotifierOptions) {
  const { slack, service, log } = options;
  const updateIntervalMs = options.updateIntervalMs ?? 3000;
  const updatesPerMinute = options.updatesPerMinute ?? 50;
  const postIntervalMs = options.postIntervalMs ?? 1000;
  const maxUploadBytes = options.maxUploadBytes ?? 1024 * 1024 * 1024;
  const updatesByTeam = new Map<string, number[]>();
  const nextPostAt = new Map<string, number>();

  const inOrder = createKeyedSequencer();

  /** Milliseconds until the workspace may take another `chat.update` (0: now, and the slot is taken). */
  const updateSlot = (teamId: string, take: boolean): number => {
    const now = Date.now();
    const recent = (updatesByTeam.get(teamId) ?? []).filter((at) => at > now - 60_000);
    updatesByTeam.set(teamId, recent);
    if (recent.length >= updatesPerMinute) return (recent[0] ?? now) + 60_000 - now;
    if (take) recent.push(now);
    return 0;
  };
  const update = async (teamId: string, args: Record<string, unknown>) => {
    for (let wait = updateSlot(teamId, true); wait > 0; wait = updateSlot(teamId, true)) await sleep(wait);
    await slack.call('chat.update', args);
  };
  /** Waits for the channel's next post slot. */
  const postSlot = async (channel: string) => {
    const at = Math.max(Date.now(), nextPostAt.get(channel) ?? 0);
    nextPostAt.set(channel, at + postIntervalMs);
    if (at > Date.now()) await sleep(at - Date.now());
  };

  const load = async (videoId: string) => {
    const delivery = await service.delivery.get(videoId);
    const state = delivery.origin as unknown as SlackDelivery;
    const record = (patch: Partial<SlackDelivery>) => {
      Object.assign(state, patch);
      return service.delivery.record(videoId, patch);
    };
    return { view: delivery.view, owner: delivery.owner, state, record };
  };
  type Loaded = Awaited<ReturnType<typeof load>>;

  /** A stored file uploaded once under `key` into the video's thread, or why not. */
  const uploaded = async (
    { view, state, record }: Loaded,
    key: string,
    link: StoredFile | null,
    name: string,
    comment: string,
  ): Promise<FileLink> => {
    if (!link) return undefined;
    const known = state.uploads?.[key];
    if (known?.permalink) return { permalink: known.permalink, name: known.name };
    const file = await service.delivery.file(view.videoId, link.key, maxUploadBytes);
    if (!('bytes' in file)) {
      const where = 'url' in link ? ` Download it: ${link.url}` : ' Get it with `/video status`.';
      return { note: `${name} is over Slack's upload limit.${where}` };
    }
    await postSlot(state.channelId);
    return uploadOnce(slack, state, record, key, {
      name,
      title: comment,
      bytes: file.bytes,
      channel: state.channelId,
      ...(state.progressTs ? { threadTs: state.progressTs } : {}),
      comment,
    });
  };

  const finalFile = async (loaded: Loaded): Promise<FileLink> => {
    const { view } = loaded;
    if (view.status !== 'ready' || !view.final) return undefined;
    const take = view.take?.number ?? 1;
    return uploaded(loaded, `final:${take}`, view.final, `final_take${take}.mp4`, `Take ${take} · ${view.durationS} s`);
  };

  const showCard = async (loaded: Loaded, finalVideo: FileLink) => {
    const { view, state, record } = loaded;
    const card = videoCard(view, finalVideo, await renderOffer(service, loaded.owner, view));
    if (state.progressTs) {
      await update(state.teamId, { channel: state.channelId, ts: state.progressTs, ...card });
      await record({ lastUpdateAt: Date.now() });
      return;
    }
    await postSlot(state.channelId);
    const ts = await postOnce(slack, state, record, 'progress', { channel: state.channelId, ...card });
    await record({ progressTs: ts, lastUpdateAt: Date.now() });
  };

  const trailing = createTrailingRefresh({
    log,
    inOrder,
    refresh: async (videoId) => {
      const loaded = await load(videoId);
      const wait = (loaded.state.lastUpdateAt ?? 0) + updateIntervalMs - Date.now();
      if (wait <= 0) await showCard(loaded, await finalFile(loaded));
      return wait;
    },
  });

  const handle = async ({ event }: NotificationJobData) => {
    const loaded = await load(event.videoId);
    const { view, state, record } = loaded;
    // The thread exists once the progress message does: post it first, whatever the throttle says.
    if (!state.progressTs) await showCard(loaded, undefined);

    if (event.kind === 'storyboard_ready' && view.contactSheet) {
      await uploaded(loaded, 'storyboard', view.contactSheet, 'storyboard.png', 'Storyboard');
    }
    if (event.kind === 'scene_ready' || event.kind === 'video_ready') await showScenes(loaded);

    const finalVideo = await finalFile(loaded);
    if (finalVideo) {
      const take = view.take?.number ?? 1;
      await postSlot(state.channelId);
      await postOnce(slack, state, record, `broadcast:${take}`, {
        channel: state.channelId,
        thread_ts: state.progressTs,
        reply_broadcast: true,
        ...readyBroadcast(view, finalVideo),
      });
    }
    // Progress updates are throttled (a trailing update shows the latest); any other event waits its turn.
    const wait = (state.lastUpdateAt ?? 0) + updateIntervalMs - Date.now();
    const budgetWait = updateSlot(state.teamId, false);
    if (event.kind === 'progress' && (wait > 0 || budgetWait > 0)) {
      trailing.later(view.videoId, Math.max(wait, budgetWait, 50));
      return;
    }
    if (wait > 0) await sleep(wait);
    await showCard(loaded, finalVideo);
  };

  const showScenes = async (loaded: Loaded) => {
    const { view, state, record } = loaded;
    for (const scene of view.scenes) {
      const version = scene.currentVersion;
      if (version === null || state.sceneVersions?.[scene.index] === version) continue;
      const model = sceneCardModel(view, scene);
      const clip = await uploaded(
        loaded,
        `clip:${scene.index}:v${version}`,
        scene.clip,
        `scene_${String(scene.index).padStart(2, '0')}_v${version}.mp4`,
        `${model.title} · v${version}`,
      );
      const card = sceneCard(view.videoId, model, clip);
      const existing = state.sceneTs?.[scene.index];
      if (existing) await update(state.teamId, { channel: state.channelId, ts: existing, ...card });
      else await postSlot(state.channelId);
      const ts =
        existing ??
        (await postOnce(slack, state, record, `scene:${scene.index}`, {
          channel: state.channelId,
          thread_ts: state.progressTs,
          ...card,
        }));
      await record({
        sceneTs: { ...state.sceneTs, [scene.index]: ts },
        sceneVersions: { ...state.sceneVersions, [scene.index]: version },
      });
    }
  };

  return {
    /** Handles one notification job; a video's events are handled one at a time, in order. */
    handle: (data: NotificationJobData): Promise<void> =>
      inOrder(data.event.videoId, async () => {
        try {
          await handle(data);
        } catch (error) {
          const code = slackError(error);
          if (!code || !PERMANENT_SLACK_ERRORS.has(code)) throw error;
          log.error({ err: error, videoId: data.event.videoId, slackError: code }, 'slack refused a message; dropped');
        }
      }),
    /** Drops pending trailing updates (each video's next event shows its state). */
    close: () => trailing.close(),
  };
}
