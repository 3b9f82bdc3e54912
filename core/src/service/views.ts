import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { listClipVersionsForScenes } from '../db/clip-versions.js';
import { sumLedgerForVideo } from '../db/ledger.js';
import { listScenes } from '../db/scenes.js';
import type { Database, VideoRow, VideoStatus } from '../db/schema.js';
import { findTakeById } from '../db/takes.js';
import { WORKING_STAGES } from '../db/videos.js';
import { findLatestWorkForVideo } from '../db/works.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { FileLink, SceneView, VideoSummary, VideoView } from './types.js';

/** What `videos.progress_detail` holds while a video works (see jobs/progress.ts, jobs/admission.ts). */
interface ProgressDetail {
  queuePosition?: number | null;
  etaS?: number | null;
}

const WORKING: ReadonlySet<VideoStatus> = new Set(WORKING_STAGES);

/** A stored key as a front can use it: a file path for local storage, a presigned URL for S3. */
export async function fileLink(storage: BlobStore, key: string | null | undefined): Promise<FileLink | null> {
  if (!key) return null;
  const url = await storage.url(key);
  return url.startsWith('file:') ? { key, path: fileURLToPath(url) } : { key, url };
}

/** The full picture of one video: status, scenes with their versions, files and cost. */
export async function buildVideoView(db: Kysely<Database>, storage: BlobStore, video: VideoRow): Promise<VideoView> {
  const scenes = await listScenes(db, video.id);
  const versions = await listClipVersionsForScenes(
    db,
    scenes.map((scene) => scene.id),
  );
  const sceneViews: SceneView[] = await Promise.all(
    scenes.map(async (scene) => {
      const own = versions.filter((version) => version.scene_id === scene.id);
      const current = [...own].reverse().find((version) => version.status === 'succeeded');
      return {
        index: scene.index + 1,
        startS: scene.start_s,
        durationS: scene.duration_s,
        prompt: current?.prompt ?? scene.prompt,
        status: scene.status,
        currentVersion: current?.version ?? null,
        versions: own.map((version) => ({
          version: version.version,
          kind: version.kind,
          status: version.status,
          prompt: version.prompt,
          model: version.model_key,
          costUsd: version.cost_usd,
          ...(version.error_message ? { error: version.error_message } : {}),
        })),
        clip: await fileLink(storage, current?.storage_key),
        storyboard: await fileLink(storage, scene.storyboard_key),
        ...(scene.last_frame_image_key
          ? {
              firstImage: await fileLink(storage, scene.storyboard_key),
              lastImage: await fileLink(storage, scene.last_frame_image_key),
            }
          : {}),
        ...(scene.error_message ? { message: scene.error_message } : {}),
      };
    }),
  );
  const take = video.current_take_id ? await findTakeById(db, video.current_take_id) : undefined;
  const cost = await sumLedgerForVideo(db, video.id);
  const work = await findLatestWorkForVideo(db, video.id);
  const detail = video.progress_detail as ProgressDetail;
  return {
    videoId: video.id,
    status: video.status,
    mode: video.mode,
    prompt: video.prompt,
    provider: video.provider,
    preview: video.provider === 'animatic',
    previewOf: video.preview_of ?? null,
    audio: typeof (video.options as { audioAssetKey?: unknown }).audioAssetKey === 'string',
    model: video.model_key,
    flavor: video.flavor,
    durationS: video.duration_s,
    progress: video.progress,
    message: video.stage_message,
    queuePosition: video.status === 'queued' ? (detail.queuePosition ?? null) : null,
    etaS: WORKING.has(video.status) ? (detail.etaS ?? null) : null,
    scenesReady: sceneViews.filter((scene) => scene.clip !== null).length,
    work: work
      ? {
          kind: work.kind,
          status: work.status,
          ...(work.error_message ? { error: { code: work.error_code ?? 'failed', message: work.error_message } } : {}),
        }
      : null,
    error: video.error_code ? { code: video.error_code, message: video.error_message ?? '' } : null,
    final: await fileLink(storage, video.final_key),
    contactSheet: await fileLink(storage, video.contact_sheet_key),
    take: take
      ? { number: take.number, durationS: take.duration_s, file: await fileLink(storage, take.storage_key) }
      : null,
    scenes: sceneViews,
    cost: {
      estimatedUsd: video.estimated_cost_usd,
      actualUsd: cost.actualUsd,
      wouldCostUsd: cost.wouldCostUsd,
    },
    createdAt: new Date(video.created_at).toISOString(),
  };
}

export function summarizeVideo(video: VideoRow): VideoSummary {
  return {
    videoId: video.id,
    status: video.status,
    prompt: video.prompt,
    durationS: video.duration_s,
    createdAt: new Date(video.created_at).toISOString(),
  };
}
