/** Image-pairs mode: which of the user's images become a scene's first and last frame. */

/** One of the user's images, as the picker sees it: its asset id and a local file. */
export interface PairImage {
  assetId: string;
  path: string;
}

/** An ordered pair: the clip interpolates `first` into `last` (asset ids). */
export interface PickedPair {
  first: string;
  last: string;
  /** 0–1: how good a transition the picker thinks it is. */
  score: number;
  reasoning: string;
}

export interface PairPickRequest {
  images: readonly PairImage[];
  brandContext?: string | undefined;
  /** How many pairs; absent = the picker decides. */
  numPairs?: number | undefined;
}

/** The pairs, which picker made them, and why the LLM's were not used when it was asked and failed. */
export interface PairPickResult {
  pairs: PickedPair[];
  source: 'llm' | 'similarity';
  fallbackReason?: string;
}

export interface PairPicker {
  pick(request: PairPickRequest, opts?: { signal?: AbortSignal | undefined }): Promise<PairPickResult>;
}
