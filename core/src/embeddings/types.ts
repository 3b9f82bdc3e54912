/**
 * Embeddings put images (and, for some providers, text) into one vector space where cosine
 * similarity means "looks alike" (or "matches this description"). Vectors are unit length, so a
 * dot product is their cosine. Every stored vector names the model that made it: vectors of
 * different models are never compared.
 */

/** Who pays and under which key a provider call is recorded (Replicate records a prediction per key). */
export interface EmbedOptions {
  signal?: AbortSignal | undefined;
  /** The owner of the images or the search (paid calls record predictions against them). */
  userId: string;
  /** Deterministic idempotency key of the call, e.g. `asset.{assetId}.embed`; a re-run resumes it. */
  callKey: string;
}

export interface EmbeddingProvider {
  /** `local` (perceptual, computed with ffmpeg) or `replicate` (a CLIP model). */
  readonly name: 'local' | 'replicate';
  /** The model id stored with every vector, e.g. `andreasjansson/clip-features`. */
  readonly model: string;
  readonly dimensions: number;
  /** True when `embedText` puts text in the same space as images (CLIP). */
  readonly hasTextSpace: boolean;
  /** One unit vector per image (local paths), in order. */
  embedImages(paths: readonly string[], options: EmbedOptions): Promise<number[][]>;
  /** One unit vector per text, in the images' space; undefined when the provider has no text space. */
  embedText(texts: readonly string[], options: EmbedOptions): Promise<number[][] | undefined>;
}

/** `v` scaled to unit length; a zero vector stays zero. */
export function normalize(v: readonly number[]): number[] {
  const norm = Math.hypot(...v);
  return norm === 0 ? v.map(() => 0) : v.map((x) => x / norm);
}

/** Dot product of two vectors of the same length (the cosine when both are unit length). */
export function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}

/** The unit-length mean of unit vectors: the direction "in the middle" of a set (style searches). */
export function centroid(vectors: ReadonlyArray<readonly number[]>): number[] {
  const size = vectors[0]?.length ?? 0;
  const sum = new Array<number>(size).fill(0);
  for (const v of vectors) for (let i = 0; i < size; i += 1) sum[i] = (sum[i] ?? 0) + (v[i] ?? 0);
  return normalize(sum);
}
