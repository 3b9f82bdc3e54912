import type { ModelSpec } from '../models/types.js';

/**
 * Provider interfaces: the pipeline asks for images, clips, music and lipsync through these and
 * never knows which backend answers. `animatic` renders locally with ffmpeg (a preview);
 * `replicate` calls paid models. Every output is a local file; the pipeline copies it to storage.
 */
export type ProviderName = 'animatic' | 'replicate';

/** What a provider call may use besides its request. */
export interface ProviderCallContext {
  signal: AbortSignal;
  /** Deterministic idempotency key of the step (`{videoId}.chunk.{scene}.{version}.{chunk}`). */
  stepKey: string;
  /** A private directory for this call's outputs; the caller removes it. */
  workDir: string;
  /** The video (and its owner) the call works for: paid providers record predictions against them. */
  videoId?: string;
  userId?: string;
}

export interface GeneratedFile {
  /** Absolute path of the output inside `workDir`. */
  path: string;
  provider: ProviderName;
  model: string;
  predictionId?: string;
  /** What this call cost (0 for the animatic). */
  costUsd: number;
  /** What the chosen model would have cost had it been called (the animatic reports this). */
  wouldCostUsd?: number;
  durationS?: number;
}

export interface GenerateClipRequest {
  model: ModelSpec;
  prompt: string;
  negativePrompt?: string;
  /** Local path of the first-frame image (storyboard frame or previous chunk's last frame). */
  firstFrame?: string;
  lastFrame?: string;
  /** The duration asked; the model may return its own fixed length (`actualChunkDurationS`). */
  durationS: number;
  /** The camera movement the plan asks for (the animatic animates it; real models read it in the prompt). */
  cameraMovement?: string;
  seed?: number;
}

export interface VideoProvider {
  readonly name: ProviderName;
  generateClip(req: GenerateClipRequest, ctx: ProviderCallContext): Promise<GeneratedFile>;
}

export interface GenerateImagesRequest {
  model: ModelSpec;
  prompt: string;
  count: number;
  width: number;
  height: number;
  /** Local path of a reference image that conditions the output. */
  reference?: string;
  /** Shown on animatic cards: the beat's title (e.g. "Hero shot"). */
  title?: string;
  /** The style palette as hex colours (animatic card gradient). */
  palette?: string[];
  seed?: number;
}

export interface ImageProvider {
  readonly name: ProviderName;
  generateImages(req: GenerateImagesRequest, ctx: ProviderCallContext): Promise<GeneratedFile[]>;
}

export interface GenerateMusicRequest {
  model: ModelSpec;
  prompt: string;
  durationS: number;
  tempoBpm: number;
  mood: string;
}

export interface MusicProvider {
  readonly name: ProviderName;
  generateMusic(req: GenerateMusicRequest, ctx: ProviderCallContext): Promise<GeneratedFile>;
}

export interface LipsyncRequest {
  model: ModelSpec;
  /** Local paths. */
  video: string;
  audio: string;
}

export interface LipsyncProvider {
  readonly name: ProviderName;
  lipsync(req: LipsyncRequest, ctx: ProviderCallContext): Promise<GeneratedFile>;
}

export interface Providers {
  name: ProviderName;
  image: ImageProvider;
  video: VideoProvider;
  music: MusicProvider;
  lipsync: LipsyncProvider;
  /**
   * Cancels, at the backend, every prediction of the video that has not finished (a cancel from any
   * process: the predictions are found in Postgres, not in this process's memory). Absent for
   * providers with nothing to cancel (the animatic's ffmpeg stops with the step's signal).
   */
  cancelVideo?(videoId: string): Promise<void>;
}
