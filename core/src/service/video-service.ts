import { randomUUID } from 'node:crypto';
import { type AssetSource, type AssetView, storeAssetFromSource } from '../assets/add-asset.js';
import { findAssetForUser } from '../db/assets.js';
import { ACTIVE_VIDEO_STATUSES } from '../db/schema.js';
import { findVideoById, insertVideo, listVideosForUser, setVideoStatus } from '../db/videos.js';
import { UserError } from '../errors.js';
import type { VideoEvent } from '../events/types.js';
import { assertWithinBudget, withUserLock } from '../ledger/budget.js';
import { cleanupCancelled } from '../pipeline/cancel-cleanup.js';
import { type AssetLibraryService, createAssetLibraryService } from './assets.js';
import { type CatalogService, createCatalogService, estimateRequest } from './catalog.js';
import { createCharacterReferences, pickCharacterReference } from './character-references.js';
import { createDeliveryService, type DeliveryService } from './delivery.js';
import { accountOf, completeLink, startLink, unlinkIdentity } from './identity-links.js';
import { type LipsyncOptions, lipsyncScene } from './lipsync.js';
import { createMcpTaskService, type McpTaskService } from './mcp-tasks.js';
import { imagePairsOptions } from './pair-options.js';
import { regenerateScene } from './regenerate.js';
import { estimateRender, PREVIEW_PROVIDER, type RenderOptions, renderPreview } from './render.js';
import { createServiceContext, type VideoServiceDeps } from './service-context.js';
import type {
  AccountView,
  CreateVideoRequest,
  Estimate,
  LinkCodeView,
  Origin,
  Owner,
  UnlinkView,
  VideoSummary,
  VideoView,
} from './types.js';
import { validateCreateRequest } from './validate.js';
import { summarizeVideo } from './views.js';

export type { VideoServiceDeps } from './service-context.js';

/** The only door the fronts use (DESIGN.md §9, §12). Every verb validates first and changes nothing on bad input. */
export interface VideoService extends CatalogService, AssetLibraryService {
  create(
    owner: Owner,
    req: CreateVideoRequest,
    /** `preview`: render with the animatic (free, labelled a preview) whatever the deployment's provider. */
    opts?: { idempotencyKey?: string; origin?: Origin; preview?: boolean },
  ): Promise<VideoView>;
  /**
   * Makes the paid video from a ready preview (same plan, scenes and prompts; estimate, budget,
   * approval). Rendering an unchanged preview again returns its earlier render unless that one
   * failed or was cancelled.
   */
  render(owner: Owner, videoId: string, opts?: RenderOptions): Promise<VideoView>;
  /** What `render` of this preview would cost, creating nothing (refused like `render`). */
  estimateRender(owner: Owner, videoId: string): Promise<Estimate>;
  get(owner: Owner, videoId: string): Promise<VideoView>;
  list(owner: Owner, opts?: { limit?: number }): Promise<VideoSummary[]>;
  /** `sceneIndex` is 1-based. */
  regenerateScene(owner: Owner, videoId: string, sceneIndex: number, opts?: { prompt?: string }): Promise<VideoView>;
  /** `sceneIndex` is 1-based; the range defaults to the scene's own time range in the track. */
  lipsyncScene(owner: Owner, videoId: string, sceneIndex: number, opts?: LipsyncOptions): Promise<VideoView>;
  restitch(owner: Owner, videoId: string): Promise<VideoView>;
  /** Starts a video that waits in `awaiting_approval`; nothing is paid before this. */
  approve(owner: Owner, videoId: string): Promise<VideoView>;
  cancel(owner: Owner, videoId: string): Promise<VideoView>;
  /** An upload (bytes) or an https URL, validated by content, size and pixel count, metadata stripped. */
  addAsset(owner: Owner, src: AssetSource, kind: 'image' | 'audio'): Promise<AssetView>;
  createCharacterReferences(owner: Owner, req: { description: string; count: number }): Promise<AssetView[]>;
  pickCharacterReference(owner: Owner, videoId: string, assetId: string): Promise<VideoView>;
  /** Live events of a video, whichever process runs it; ends when the video is ready, failed or cancelled. */
  events(videoId: string, signal?: AbortSignal): AsyncIterable<VideoEvent>;
  /** Resolves when the video has no work in flight (the CLI waits on this). */
  settled(videoId: string): Promise<void>;
  /**
   * One identity across fronts: a one-time code (8 symbols, 10 minutes, single use) that another
   * identity of the same person enters with `completeLink`. Linked identities share videos, uploads
   * and the daily budget; each keeps its own line of running videos (USER_CONCURRENT_VIDEOS).
   */
  startLink(owner: Owner): Promise<LinkCodeView>;
  /** Links the owner with the identity that made `code`; wrong, expired and used codes are refused (identity-links.ts). */
  completeLink(owner: Owner, code: string): Promise<AccountView>;
  /** Takes the identity of `platform` (default: the owner's own) out of the owner's account. */
  unlink(owner: Owner, platform?: string): Promise<UnlinkView>;
  /** The identities linked with the owner's. */
  account(owner: Owner): Promise<AccountView>;
  /** For the fronts' notification consumers (not owner-scoped): delivery state and files of any video. */
  readonly delivery: DeliveryService;
  /** MCP tasks: owner-scoped handles on the work a tool call started, kept in Postgres. */
  readonly tasks: McpTaskService;
}

export function createVideoService(deps: VideoServiceDeps): VideoService {
  const ctx = createServiceContext(deps);
  const { db, storage, registry, runner } = deps;
  const providerName = deps.providers.name;
  const catalog = createCatalogService({
    registry,
    planner: deps.planner,
    defaultVideoModel: deps.defaultVideoModel,
    provider: providerName,
  });

  const service: VideoService = {
    ...catalog,
    ...createAssetLibraryService(ctx),

    async create(owner, req, opts = {}) {
      const checked = validateCreateRequest(req, registry, deps.defaultVideoModel);
      const userId = await ctx.userIdOf(owner);
      const image = await ownedAsset(userId, req.imageAssetId, 'image');
      const audio = await ownedAsset(userId, req.audioAssetId, 'audio');
      const character = await ownedAsset(userId, req.characterReferenceAssetId, 'character_reference');
      const pairImages = await Promise.all(
        (checked.pairs?.imageAssetIds ?? []).map((id) => ownedAsset(userId, id, 'image')),
      );
      const provider = opts.preview ? PREVIEW_PROVIDER : providerName;
      const estimate = estimateRequest(registry, checked, provider);
      const needsApproval =
        !opts.preview && deps.approvalThresholdUsd !== undefined && estimate.chargedUsd > deps.approvalThresholdUsd;
      const { video, created } = await withUserLock(db, userId, async (trx) => {
        await assertWithinBudget(trx, userId, estimate.chargedUsd, deps.dailyBudgetUsd);
        return insertVideo(trx, {
          id: randomUUID(),
          user_id: userId,
          mode: checked.mode,
          status: needsApproval ? 'awaiting_approval' : 'queued',
          prompt: checked.prompt,
          duration_s: checked.durationS,
          model_key: checked.model.key,
          flavor: checked.flavor,
          provider,
          creativity: checked.creativity,
          options: {
            ...(checked.characterDescription ? { characterDescription: checked.characterDescription } : {}),
            ...(image ? { referenceAssetKey: image.storage_key, referenceAssetId: image.id } : {}),
            ...(audio
              ? { audioAssetKey: audio.storage_key, audioAssetId: audio.id, audioDurationS: audio.duration_s }
              : {}),
            ...(character
              ? { characterReferenceKey: character.storage_key, characterReferenceAssetId: character.id }
              : {}),
            ...(checked.pairs ? { imagePairs: imagePairsOptions(checked.pairs, pairImages) } : {}),
          },
          origin: opts.origin ?? null,
          idempotency_key: opts.idempotencyKey ?? null,
          estimated_cost_usd: estimate.totalUsd,
        });
      });
      if (created && needsApproval) {
        const message = `Estimated $${estimate.chargedUsd.toFixed(2)} is above the approval threshold of $${deps.approvalThresholdUsd?.toFixed(2)}; approve it to start.`;
        await setVideoStatus(db, video.id, 'awaiting_approval', { stageMessage: message });
        await deps.events.emit(
          { videoId: video.id, kind: 'awaiting_approval', stage: 'awaiting_approval', percent: 0, message },
          `${video.id}.awaiting_approval`,
        );
      } else if (created) {
        await deps.events.emit(
          { videoId: video.id, kind: 'queued', stage: 'queued', percent: 0 },
          `${video.id}.created`,
        );
        await runner.submit({ kind: 'create', videoId: video.id });
      }
      return ctx.view((await findVideoById(db, video.id)) ?? video);
    },

    async get(owner, videoId) {
      return ctx.view(await ctx.ownedVideo(owner, videoId));
    },

    async list(owner, opts = {}) {
      return (await listVideosForUser(db, await ctx.userIdOf(owner), opts)).map(summarizeVideo);
    },

    render: (owner, videoId, opts = {}) => renderPreview(ctx, owner, videoId, opts),
    estimateRender: (owner, videoId) => estimateRender(ctx, owner, videoId),
    regenerateScene: (owner, videoId, sceneIndex, opts = {}) => regenerateScene(ctx, owner, videoId, sceneIndex, opts),
    lipsyncScene: (owner, videoId, sceneIndex, opts = {}) => lipsyncScene(ctx, owner, videoId, sceneIndex, opts),

    async restitch(owner, videoId) {
      const video = await ctx.ownedVideo(owner, videoId);
      ctx.assertIdle(video, 're-stitch');
      await ctx.claim(video, 'stitching', 'Re-stitching');
      await runner.submit({ kind: 'restitch', videoId: video.id });
      return ctx.view(await ctx.ownedVideo(owner, videoId));
    },

    async approve(owner, videoId) {
      const video = await ctx.ownedVideo(owner, videoId);
      if (video.status !== 'awaiting_approval') {
        throw new UserError(
          'not_awaiting_approval',
          `Video ${video.id} is ${video.status}; only a video awaiting approval can be approved.`,
        );
      }
      const estimate = Number(video.estimated_cost_usd);
      await withUserLock(db, video.user_id, (trx) =>
        assertWithinBudget(trx, video.user_id, estimate, deps.dailyBudgetUsd),
      );
      const queued = await setVideoStatus(db, video.id, 'queued', {
        onlyFrom: ['awaiting_approval'],
        stageMessage: 'Approved',
      });
      if (!queued) throw new UserError('video_busy', `Video ${video.id} changed while approving; look at it again.`);
      await deps.events.emit(
        { videoId: video.id, kind: 'queued', stage: 'queued', percent: 0, message: 'Approved' },
        `${video.id}.approved`,
      );
      await runner.submit({ kind: 'create', videoId: video.id });
      return ctx.view((await findVideoById(db, video.id)) ?? queued);
    },

    async cancel(owner, videoId) {
      const video = await ctx.ownedVideo(owner, videoId);
      if (video.status === 'cancelled') return ctx.view(video);
      if (video.status === 'ready' || video.status === 'failed') {
        throw new UserError(
          'not_cancellable',
          `Video ${video.id} is already ${video.status}; there is nothing to cancel.`,
        );
      }
      const cancelled = await setVideoStatus(db, video.id, 'cancelled', {
        stageMessage: 'Cancelled by its owner',
        onlyFrom: ACTIVE_VIDEO_STATUSES,
      });
      if (!cancelled) {
        throw new UserError(
          'not_cancellable',
          `Video ${video.id} finished while cancelling; there is nothing to cancel.`,
        );
      }
      await runner.cancel(video.id);
      await deps.providers.cancelVideo?.(video.id);
      await cleanupCancelled(db, storage, video.id);
      await deps.events.emit(
        { videoId: video.id, kind: 'cancelled', stage: 'cancelled', percent: video.progress },
        `${video.id}.cancelled`,
      );
      return ctx.view(await ctx.ownedVideo(owner, videoId));
    },

    async addAsset(owner, src, kind) {
      const assetDeps = { db, storage, embeddings: ctx.embeddings, log: deps.log };
      return storeAssetFromSource(assetDeps, await ctx.userIdOf(owner), src, kind, {
        ...(deps.remoteFetch ? { fetch: deps.remoteFetch } : {}),
      });
    },

    createCharacterReferences: (owner, req) => createCharacterReferences(ctx, owner, req),
    pickCharacterReference: (owner, videoId, assetId) => pickCharacterReference(ctx, owner, videoId, assetId),
    events: (videoId, signal) => deps.events.subscribe(videoId, signal),
    settled: (videoId) => runner.settled(videoId),
    startLink: (owner) => startLink(ctx, owner),
    completeLink: (owner, code) => completeLink(ctx, owner, code),
    unlink: (owner, platform) => unlinkIdentity(ctx, owner, platform),
    account: (owner) => accountOf(ctx, owner),
    delivery: createDeliveryService(ctx),
    tasks: createMcpTaskService(ctx, (owner, videoId) => service.cancel(owner, videoId)),
  };
  return service;

  async function ownedAsset(
    userId: string,
    assetId: string | undefined,
    kind: 'image' | 'audio' | 'character_reference',
  ) {
    if (assetId === undefined) return undefined;
    const asset = await findAssetForUser(db, userId, assetId);
    if (asset?.kind !== kind)
      throw new UserError('not_found', `No ${kind.replace('_', ' ')} asset ${assetId} found for you.`);
    return asset;
  }
}
