import type { VideoMode, VideoStatus } from '../db/schema.js';

/** Who asks. Every verb is scoped to the owner: another owner's video is "not found". */
export interface Owner {
  platform: 'discord' | 'slack' | 'mcp' | 'cli';
  platformUserId: string;
  displayName?: string;
}

/** Where progress and results are delivered. */
export type Origin =
  | {
      platform: 'discord';
      guildId?: string;
      channelId: string;
      progressMessageId?: string;
      /** The interaction's `attachment_size_limit`: what the bot may upload there. */
      uploadLimitBytes?: number;
    }
  | { platform: 'slack'; teamId: string; channelId: string; progressTs?: string }
  | { platform: 'mcp' }
  | { platform: 'cli' };

export interface CreateVideoRequest {
  prompt: string;
  /** Seconds, a multiple of 5 in 5–120; default 15. */
  durationS?: number;
  mode?: 'ad' | 'music_video' | 'image_pairs';
  /** Video model registry key; default the configured one (hailuo). */
  model?: string;
  flavor?: string;
  creativity?: number;
  /** Music video: the character carried into every scene. */
  characterDescription?: string;
  /** An asset id from `addAsset` (kind image): conditions the storyboard and becomes scene 1's frame. */
  imageAssetId?: string;
  /** An asset id from `addAsset` (kind audio): the track scenes may be lip-synced to. */
  audioAssetId?: string;
  /** An asset id from `createCharacterReferences`: conditions every storyboard frame. */
  characterReferenceAssetId?: string;
  /** Image pairs: 2–20 of the user's image asset ids; each pair of them becomes one scene. */
  imageAssetIds?: string[];
  /** Image pairs: campaign goal, audience, brand guidelines, product text for the pair picker. */
  brandContext?: string;
  /** Image pairs: how many pairs (scenes); absent = the picker decides. */
  numPairs?: number;
  /** Image pairs: seconds per clip, default 6, rounded to the model's allowed durations. */
  clipDurationS?: number;
}

/** A stored file as a front can use it: a local path (local storage) or a presigned URL (S3). */
export type FileLink = { key: string; path: string } | { key: string; url: string };

export interface SceneView {
  /** 1-based: scenes are numbered from 1 on every public surface. */
  index: number;
  /** Image pairs: the pair's first and last images (the clip morphs one into the other). */
  firstImage?: FileLink | null;
  lastImage?: FileLink | null;
  startS: number;
  durationS: number;
  prompt: string;
  status: string;
  currentVersion: number | null;
  versions: Array<{
    version: number;
    kind: string;
    status: string;
    prompt: string;
    /** Registry key of the model that made it (the lipsync model for lipsync versions). */
    model: string;
    /** What it cost (the sum of its chunks'); 0 for animatic previews. */
    costUsd: number;
    error?: string;
  }>;
  clip: FileLink | null;
  storyboard: FileLink | null;
  message?: string;
}

export interface VideoView {
  videoId: string;
  status: VideoStatus;
  mode: VideoMode;
  prompt: string;
  provider: string;
  /** True when the video is a local animatic preview, not real model output. */
  preview: boolean;
  /** The preview this paid video was rendered from (`render`); null otherwise. */
  previewOf: string | null;
  /** True when the video has an audio track its scenes can be lip-synced to. */
  audio: boolean;
  model: string;
  flavor: string;
  durationS: number;
  progress: number;
  message: string | null;
  /** 1-based place in its owner's line while `queued` behind their other videos; else null. */
  queuePosition: number | null;
  /** Seconds until it should be ready (registry latencies) while it works; else null. */
  etaS: number | null;
  /** Scenes that have a clip. */
  scenesReady: number;
  /** The latest work on the video (create, regenerate, lipsync, restitch): a failed regenerate shows here. */
  work: { kind: string; status: string; error?: { code: string; message: string } } | null;
  error: { code: string; message: string } | null;
  final: FileLink | null;
  contactSheet: FileLink | null;
  /** The current take: the stitched scenes before scoring (the final video is this take with music). */
  take: { number: number; durationS: number; file: FileLink | null } | null;
  scenes: SceneView[];
  cost: { estimatedUsd: number; actualUsd: number; wouldCostUsd: number };
  createdAt: string;
}

export interface VideoSummary {
  videoId: string;
  status: VideoStatus;
  prompt: string;
  durationS: number;
  createdAt: string;
}

export interface Estimate {
  model: string;
  provider: string;
  durationS: number;
  /** What the chosen models would cost on Replicate. */
  totalUsd: number;
  /** What this run will actually charge (0 for the animatic). */
  chargedUsd: number;
  lines: Array<{ kind: string; model: string; quantity: number; unit: string; usd: number }>;
}

/** One identity of a person's account (see `VideoService.startLink`). */
export interface IdentityView {
  platform: Owner['platform'];
  platformUserId: string;
  displayName: string | null;
  /** True for the identity that asked. */
  you: boolean;
}

/** The identities that share videos, uploads and a daily budget: the asker first, then oldest first. */
export interface AccountView {
  identities: IdentityView[];
}

/** A one-time link code: entered by another identity of the same person, it links the two. */
export interface LinkCodeView extends AccountView {
  /** `ABCD-EFGH` (case, spaces and the dash do not matter when typed). */
  code: string;
  expiresAt: string;
  expiresInS: number;
}

/** What `unlink` did: the identity taken out, and the asker's account afterwards. */
export interface UnlinkView extends AccountView {
  detached: IdentityView;
}
