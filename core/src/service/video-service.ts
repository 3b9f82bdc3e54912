import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type AssetView, storeAsset } from '../assets/add-asset.js';
import { findAssetForUser } from '../db/assets.js';
import { insertClipVersion, listClipVersions } from '../db/clip-versions.js';
import { findScene, updateScene } from '../db/scenes.js';
import type { Database, VideoRow } from '../db/schema.js';
import { upsertUser } from '../db/users.js';
import { findVideoForUser, insertVideo, listVideosForUser, setVideoStatus } from '../db/videos.js';
import { UserError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ModelRegistry } from '../models/registry.js';
import { cleanupCancelled } from '../pipeline/cancel-cleanup.js';
import type { EventBus, VideoEvent } from '../pipeline/events.js';
import type { Plan } from '../plan/index.js';
import type { ProviderName } from '../providers/types.js';
import type { Runner } from '../runners/types.js';
import type { BlobStore } from '../storage/blob-store.js';
import { videoPrefix } from '../storage/keys.js';
import { describeModels, estimateRequest, type FlavorInfo, listFlavorInfos, type ModelInfo } from './catalog.js';
import type { CreateVideoRequest, Estimate, Origin, Owner, VideoSummary, VideoView } from './types.js';
import {
  type PlanRequest,
  planRequest,
  validateCreateRequest,
  validatePrompt,
  validateSceneIndex,
} from './validate.js';
import { buildVideoView, summarizeVideo } from './views.js';

export interface VideoServiceDeps {
  db: Kysely<Database>;
  storage: BlobStore;
  registry: ModelRegistry;
  runner: Runner;
  events: EventBus;
  providerName: ProviderName;
  defaultVideoModel: string;
  log: Logger;
}

/** The only door the fronts use (DESIGN.md §9, §12). Every verb validates first and changes nothing on bad input. */
export interface VideoService {
  plan(req: PlanRequest): Promise<Plan>;
  estimate(req: CreateVideoRequest): Promise<Estimate>;
  create(
    owner: Owner,
    req: CreateVideoRequest,
    opts?: { idempotencyKey?: string; origin?: Origin },
  ): Promise<VideoView>;
  get(owner: Owner, videoId: string): Promise<VideoView>;
  list(owner: Owner, opts?: { limit?: number }): Promise<VideoSummary[]>;
  /** `sceneIndex` is 1-based. */
  regenerateScene(owner: Owner, videoId: string, sceneIndex: number, opts?: { prompt?: string }): Promise<VideoView>;
  restitch(owner: Owner, videoId: string): Promise<VideoView>;
  cancel(owner: Owner, videoId: string): Promise<VideoView>;
  addAsset(owner: Owner, src: { bytes: Uint8Array; filename: string }, kind: 'image' | 'audio'): Promise<AssetView>;
  listModels(): ModelInfo[];
  listFlavors(): FlavorInfo[];
  /** Live events of a video (this process); ends when the video is ready, failed or cancelled. */
  events(videoId: string, signal?: AbortSignal): AsyncIterable<VideoEvent>;
  /** Resolves when the video has no work in flight (the CLI waits on this). */
  settled(videoId: string): Promise<void>;
}

const BUSY: readonly VideoRow['status'][] = [
  'queued',
  'planning',
  'storyboarding',
  'generating',
  'stitching',
  'scoring',
];

export function createVideoService(deps: VideoServiceDeps): VideoService {
  const { db, storage, registry, runner } = deps;
  const userIdOf = async (owner: Owner) =>
    (
      await upsertUser(db, {
        platform: owner.platform,
        platformUserId: owner.platformUserId,
        ...(owner.displayName ? { displayName: owner.displayName } : {}),
      })
    ).id;
  const ownedVideo = async (owner: Owner, videoId: string) => {
    if (typeof videoId !== 'string' || !/^[0-9a-f-]{36}$/i.test(videoId.trim())) {
      throw new UserError('invalid_id', `"${videoId}" is not a video id (expected a UUID like 3f2a…-…).`);
    }
    const video = await findVideoForUser(db, await userIdOf(owner), videoId.trim().toLowerCase());
    if (!video) throw new UserError('not_found', `No video ${videoId} found for you.`);
    return video;
  };
  const view = (video: VideoRow) => buildVideoView(db, storage, video);
  const assertIdle = (video: VideoRow, verb: string) => {
    if (video.status === 'cancelled') {
      throw new UserError(
        'video_cancelled',
        `Video ${video.id} was cancelled; start a new one instead of trying to ${verb} it.`,
      );
    }
    if (BUSY.includes(video.status)) {
      throw new UserError(
        'video_busy',
        `Video ${video.id} is still ${video.status}; wait until it is ready to ${verb} it.`,
      );
    }
  };

  return {
    async plan(req) {
      return planRequest(req);
    },

    async estimate(req) {
      const checked = validateCreateRequest(req, registry, deps.defaultVideoModel);
      return estimateRequest(registry, checked, deps.providerName);
    },

    async create(owner, req, opts = {}) {
      const checked = validateCreateRequest(req, registry, deps.defaultVideoModel);
      const userId = await userIdOf(owner);
      const image = req.imageAssetId ? await findAssetForUser(db, userId, req.imageAssetId) : undefined;
      if (req.imageAssetId && image?.kind !== 'image') {
        throw new UserError('not_found', `No image asset ${req.imageAssetId} found for you.`);
      }
      const audio = req.audioAssetId ? await findAssetForUser(db, userId, req.audioAssetId) : undefined;
      if (req.audioAssetId && audio?.kind !== 'audio') {
        throw new UserError('not_found', `No audio asset ${req.audioAssetId} found for you.`);
      }
      const estimate = estimateRequest(registry, checked, deps.providerName);
      const { video, created } = await insertVideo(db, {
        id: randomUUID(),
        user_id: userId,
        mode: checked.mode,
        prompt: checked.prompt,
        duration_s: checked.durationS,
        model_key: checked.model.key,
        flavor: checked.flavor,
        provider: deps.providerName,
        creativity: checked.creativity,
        options: {
          ...(checked.characterDescription ? { characterDescription: checked.characterDescription } : {}),
          ...(image ? { referenceAssetKey: image.storage_key, referenceAssetId: image.id } : {}),
          ...(audio ? { audioAssetKey: audio.storage_key, audioAssetId: audio.id } : {}),
        },
        origin: opts.origin ?? null,
        idempotency_key: opts.idempotencyKey ?? null,
        estimated_cost_usd: estimate.totalUsd,
      });
      if (created) {
        deps.events.emit({ videoId: video.id, kind: 'queued', stage: 'queued', percent: 0 });
        await runner.submit({ kind: 'create', videoId: video.id });
      }
      return view(video);
    },

    async get(owner, videoId) {
      return view(await ownedVideo(owner, videoId));
    },

    async list(owner, opts = {}) {
      const videos = await listVideosForUser(db, await userIdOf(owner), opts);
      return videos.map(summarizeVideo);
    },

    async regenerateScene(owner, videoId, sceneIndex, opts = {}) {
      const video = await ownedVideo(owner, videoId);
      const scenesCount = await db
        .selectFrom('scenes')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('video_id', '=', video.id)
        .executeTakeFirstOrThrow();
      const index = validateSceneIndex(sceneIndex, Number(scenesCount.n)) - 1;
      const prompt = opts.prompt === undefined ? undefined : validatePrompt(opts.prompt);
      assertIdle(video, 'regenerate a scene of');
      const scene = await findScene(db, video.id, index);
      if (!scene) throw new UserError('not_found', `Video ${video.id} has no scene ${sceneIndex}.`);
      const claimed = await setVideoStatus(db, video.id, 'generating', {
        onlyFrom: ['ready', 'failed'],
        progress: 0,
        stageMessage: `Regenerating scene ${sceneIndex}`,
        errorCode: null,
        errorMessage: null,
      });
      if (!claimed) throw new UserError('video_busy', `Video ${video.id} is busy; try again when it is ready.`);
      const previous = (await listClipVersions(db, scene.id)).at(-1);
      if (prompt !== undefined) await updateScene(db, scene.id, { prompt });
      const clipVersion = await insertClipVersion(db, {
        scene_id: scene.id,
        kind: 'regenerated',
        status: 'running',
        prompt: prompt ?? previous?.prompt ?? scene.prompt,
        provider: deps.providerName,
        model_key: video.model_key,
        chunk_count: previous?.chunk_count ?? 1,
      });
      await runner.submit({ kind: 'regenerate', videoId: video.id, sceneId: scene.id, clipVersionId: clipVersion.id });
      return view(claimed);
    },

    async restitch(owner, videoId) {
      const video = await ownedVideo(owner, videoId);
      assertIdle(video, 're-stitch');
      const claimed = await setVideoStatus(db, video.id, 'stitching', {
        onlyFrom: ['ready', 'failed'],
        stageMessage: 'Re-stitching',
      });
      if (!claimed) throw new UserError('video_busy', `Video ${video.id} is busy; try again when it is ready.`);
      await runner.submit({ kind: 'restitch', videoId: video.id });
      return view(claimed);
    },

    async cancel(owner, videoId) {
      const video = await ownedVideo(owner, videoId);
      if (video.status === 'cancelled') return view(video);
      if (video.status === 'ready' || video.status === 'failed') {
        throw new UserError(
          'not_cancellable',
          `Video ${video.id} is already ${video.status}; there is nothing to cancel.`,
        );
      }
      await setVideoStatus(db, video.id, 'cancelled', { stageMessage: 'Cancelled by its owner' });
      await runner.cancel(video.id);
      await cleanupCancelled(db, storage, video, videoPrefix(video.user_id, video.id));
      deps.events.emit({ videoId: video.id, kind: 'cancelled', stage: 'cancelled', percent: video.progress });
      return view((await findVideoForUser(db, video.user_id, video.id)) ?? video);
    },

    async addAsset(owner, src, kind) {
      return storeAsset({ db, storage }, await userIdOf(owner), src, kind);
    },

    listModels: () => describeModels(registry),
    listFlavors: () => listFlavorInfos(),
    events: (videoId, signal) => deps.events.subscribe(videoId, signal),
    settled: (videoId) => runner.settled(videoId),
  };
}
