import { findUserById } from '../db/users.js';
import { findVideoById, updateVideo } from '../db/videos.js';
import { UserError } from '../errors.js';
import { videoPrefix } from '../storage/keys.js';
import type { ServiceContext } from './service-context.js';
import type { Owner, VideoView } from './types.js';

/** A video as a front's notification consumer sees it: its view, who owns it, and what was delivered where. */
export interface DeliveryView {
  view: VideoView;
  owner: Owner;
  /** The origin the video was created from, plus what the front recorded (message ids, thread id…). */
  origin: Record<string, unknown>;
}

/** A stored file's bytes for an upload, or why not: it is larger than the front may upload. */
export type DeliveryFile = { bytes: Buffer; filename: string } | { tooLarge: true; filename: string };

/**
 * What the fronts' notification consumers need beyond the owner-scoped verbs (they act for the
 * deployment, on events of any video): a video's view with its delivery state, recording that
 * state (merged into the video's origin: message ids, thread ids, upload limits), and reading a
 * file of the video for an upload, refusing keys outside the video's folder.
 */
export interface DeliveryService {
  get(videoId: string): Promise<DeliveryView>;
  /** Merges `patch` into the video's origin (top-level keys replace). */
  record(videoId: string, patch: Record<string, unknown>): Promise<void>;
  /** The file at `key` when it is at most `maxBytes` long. */
  file(videoId: string, key: string, maxBytes: number): Promise<DeliveryFile>;
}

export function createDeliveryService(ctx: ServiceContext): DeliveryService {
  const { db, storage } = ctx.deps;
  const load = async (videoId: string) => {
    const video = await findVideoById(db, videoId);
    if (!video) throw new UserError('not_found', `Video ${videoId} does not exist.`);
    return video;
  };
  return {
    async get(videoId) {
      const video = await load(videoId);
      const user = await findUserById(db, video.user_id);
      if (!user) throw new UserError('not_found', `The owner of video ${videoId} does not exist.`);
      return {
        view: await ctx.view(video),
        owner: {
          platform: user.platform,
          platformUserId: user.platform_user_id,
          ...(user.display_name ? { displayName: user.display_name } : {}),
        },
        origin: (video.origin ?? {}) as Record<string, unknown>,
      };
    },
    async record(videoId, patch) {
      const video = await load(videoId);
      await updateVideo(db, video.id, { origin: { ...(video.origin ?? {}), ...patch } });
    },
    async file(videoId, key, maxBytes) {
      const video = await load(videoId);
      if (!key.startsWith(videoPrefix(video.user_id, video.id)) && !key.startsWith(`${video.user_id}/assets/`)) {
        throw new UserError('not_found', `${key} is not a file of video ${videoId}.`);
      }
      const filename = key.slice(key.lastIndexOf('/') + 1);
      const stream = await storage.getStream(key);
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of stream) {
        size += (chunk as Buffer).length;
        if (size > maxBytes) {
          stream.destroy();
          return { tooLarge: true, filename };
        }
        chunks.push(chunk as Buffer);
      }
      return { bytes: Buffer.concat(chunks), filename };
    },
  };
}
