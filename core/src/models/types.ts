/**
 * What Reelsmith knows about one generation model: the registry (`core/models.yaml`) is parsed
 * into these. Facts come from shared/REPLICATE_MODELS.md; adding a model is a registry edit.
 */
export const MODEL_KINDS = ['video', 'image', 'music', 'lipsync', 'embedding'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** How a model is billed: per run (one prediction), per output image, or per second of output. */
export type CostUnit = 'run' | 'image' | 'second';

export interface ModelCost {
  unit: CostUnit;
  usd: number;
}

/** Our names for inputs → the model's own input names. Absent = the model has no such input. */
export interface ModelParamNames {
  /** Absent only for lipsync models, which take no prompt. */
  prompt?: string;
  negativePrompt?: string;
  /** `first_frame_image` (hailuo), `image` (wan, veo), `start_image` (kling, luma). */
  firstFrame?: string;
  /** `last_frame_image` (hailuo-02), `last_frame` (veo 3.1), `end_image` (kling), `last_image` (wan 2.2). */
  lastFrame?: string;
  duration?: string;
  seed?: string;
  /** Image models: how many outputs (`num_outputs`). */
  count?: string;
  /** Image models: the reference image for image-to-image. */
  reference?: string;
  /** Lipsync models. */
  video?: string;
  audio?: string;
  /** Embedding models: the one input holding newline-separated texts and image URLs (clip-features `inputs`). */
  inputs?: string;
}

export interface ModelSpec {
  /** Registry key used by users: `hailuo`, `wan`, `veo3`, `flux-schnell`, … */
  key: string;
  kind: ModelKind;
  /** `owner/name` (official models) or `owner/name:versionhash` (community models). */
  replicateId: string;
  label: string;
  description: string;
  /**
   * Video: the seconds one generation really outputs whatever is asked, when the model has a
   * single output length (wan 2.1 ≈ 5.06 s, zeroscope 3 s, animatediff 2 s).
   */
  actualChunkDurationS?: number;
  /** Video: the durations the model accepts when it lets you choose (hailuo 6|10, veo 4|6|8). */
  allowedDurationsS?: number[];
  durationControllable: boolean;
  fps?: number;
  width?: number;
  height?: number;
  /** Music: the longest output one call may ask for. */
  maxDurationS?: number;
  /**
   * Seconds sent when the caller gives none, so a model never falls back to its own (often
   * longest, costliest) default: music (stable-audio defaults to 190 s). Video models with
   * `allowedDurationsS` use this or else their shortest allowed duration.
   */
  defaultDurationS?: number;
  /** Image: the most outputs one call returns (1 when the model has no count input). */
  maxOutputs?: number;
  params: ModelParamNames;
  /** Inputs always sent, set explicitly so no model silently uses its most expensive tier. */
  fixedInputs: Record<string, string | number | boolean>;
  supports: {
    textToVideo: boolean;
    firstFrame: boolean;
    lastFrame: boolean;
    referenceImages: boolean;
  };
  cost: ModelCost;
  /** Video: the output carries sound of its own (veo with audio). */
  outputHasAudio?: boolean;
  /** The prediction's output is an array of URIs (flux-schnell, flux-dev) rather than one URI. */
  outputIsArray?: boolean;
  /** Seconds one prediction usually takes from create to output (ETAs); a per-kind default when absent. */
  typicalLatencyS?: number;
  /** Embedding: how many numbers one vector has (CLIP ViT-L/14: 768). */
  dimensions?: number;
  /** Embedding: texts land in the images' space (CLIP), so text can search pictures. */
  embedsText?: boolean;
}
