import type { Kysely } from 'kysely';
import type { StoreAssetFromSourceOptions } from '../assets/add-asset.js';
import type { Database, VideoRow } from '../db/schema.js';
import { upsertUser } from '../db/users.js';
import { findVideoForUser, setVideoStatus, WORKING_STAGES } from '../db/videos.js';
import { createLocalEmbeddingProvider } from '../embeddings/perceptual.js';
import type { EmbeddingProvider } from '../embeddings/types.js';
import { UserError } from '../errors.js';
import type { EventBus } from '../events/types.js';
import type { Logger } from '../log.js';
import type { ModelRegistry } from '../models/registry.js';
import type { Planner } from '../plan/llm/index.js';
import type { Providers } from '../providers/types.js';
import type { Runner } from '../runners/types.js';
import type { BlobStore } from '../storage/blob-store.js';
import { type AssetSearchSettings, DEFAULT_ASSET_SEARCH_SETTINGS } from './asset-types.js';
import type { Owner, VideoView } from './types.js';
import { buildVideoView } from './views.js';

export interface VideoServiceDeps {
  db: Kysely<Database>;
  storage: BlobStore;
  registry: ModelRegistry;
  planner: Planner;
  runner: Runner;
  events: EventBus;
  providers: Providers;
  /** The animatic previews render with (`create(…, { preview: true })`); created on first use when absent. */
  previewProviders?: Providers;
  defaultVideoModel: string;
  log: Logger;
  /** Default daily spend cap per user (USD); undefined = none. */
  dailyBudgetUsd?: number | undefined;
  /** Videos estimated above this wait in `awaiting_approval`; undefined = never. */
  approvalThresholdUsd?: number | undefined;
  /**
   * Test seam for assets given as URLs (name resolution, reachable addresses, trust anchors), so a
   * loopback HTTPS server can stand in for a CDN. Production leaves it unset: public https only.
   */
  remoteFetch?: StoreAssetFromSourceOptions['fetch'];
  /** The time link codes are issued, expire and are rate-limited by; default the system clock (tests move it). */
  clock?: () => Date;
  /** Embeds uploads and searches (CLIP on Replicate when configured); default the local perceptual embedding. */
  embeddings?: EmbeddingProvider;
  /** Minimum scores of asset searches (ASSET_SEARCH_MIN_TEXT_SCORE, ASSET_SEARCH_MIN_IMAGE_SCORE). */
  assetSearch?: AssetSearchSettings;
}

/** A video in one of these stages has work waiting or running: no other verb may start on it. */
const BUSY = WORKING_STAGES;

/** The helpers every verb shares: who the owner is, their video, and the busy/cancelled rules. */
export function createServiceContext(deps: VideoServiceDeps) {
  const { db, storage } = deps;
  const now = deps.clock ?? (() => new Date());
  /**
   * The user id of the owner's own identity, created on first sight. Rows a verb creates are owned
   * by it; ownership checks accept it and every identity linked to it (the repositories scope by the
   * account, see db/accounts.ts), so unlinking leaves each identity exactly what it made.
   */
  const userIdOf = async (owner: Owner) =>
    (
      await upsertUser(db, {
        platform: owner.platform,
        platformUserId: owner.platformUserId,
        ...(owner.displayName ? { displayName: owner.displayName } : {}),
      })
    ).id;

  /**
   * The owner's video (made by the owner or an identity linked to it); another owner's (or a missing)
   * id is `not_found`, a malformed one `invalid_id`.
   */
  const ownedVideo = async (owner: Owner, videoId: string): Promise<VideoRow> => {
    if (
      typeof videoId !== 'string' ||
      !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(videoId.trim())
    ) {
      throw new UserError('invalid_id', `"${String(videoId)}" is not a video id (expected a UUID like 3f2a…-…).`);
    }
    const video = await findVideoForUser(db, await userIdOf(owner), videoId.trim().toLowerCase());
    if (!video) throw new UserError('not_found', `No video ${videoId} found for you.`);
    return video;
  };

  const view = (video: VideoRow): Promise<VideoView> => buildVideoView(db, storage, video);

  /** Refuses work on a cancelled or busy video. */
  const assertIdle = (video: VideoRow, verb: string) => {
    if (video.status === 'cancelled') {
      throw new UserError(
        'video_cancelled',
        `Video ${video.id} was cancelled; start a new one instead of trying to ${verb} it.`,
      );
    }
    if (video.status === 'awaiting_approval') {
      throw new UserError('awaiting_approval', `Video ${video.id} is waiting for approval; approve it first.`);
    }
    if (BUSY.includes(video.status)) {
      throw new UserError(
        'video_busy',
        `Video ${video.id} is still ${video.status}; wait until it is ready to ${verb} it.`,
      );
    }
  };

  /** Compare-and-set from ready/failed to `status`, so two verbs can never run on one video at once. */
  const claim = async (video: VideoRow, status: VideoRow['status'], message: string): Promise<VideoRow> => {
    const claimed = await setVideoStatus(db, video.id, status, {
      onlyFrom: ['ready', 'failed'],
      progress: 0,
      stageMessage: message,
      errorCode: null,
      errorMessage: null,
    });
    if (!claimed) throw new UserError('video_busy', `Video ${video.id} is busy; try again when it is ready.`);
    return claimed;
  };

  const embeddings = deps.embeddings ?? createLocalEmbeddingProvider();
  const assetSearch = deps.assetSearch ?? DEFAULT_ASSET_SEARCH_SETTINGS;

  return { deps, now, userIdOf, ownedVideo, view, assertIdle, claim, embeddings, assetSearch };
}

export type ServiceContext = ReturnType<typeof createServiceContext>;
