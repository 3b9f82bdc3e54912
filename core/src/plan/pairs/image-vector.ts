import { embedImage } from '../../embeddings/perceptual.js';

/** The perceptual embedding the brand library stores (`embedImage`): one perceptual vector in the codebase. */
export const imageVector = embedImage;

/** Cosine similarity of two unit vectors, mapped to 0–1. */
export function similarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) dot += (a[i] ?? 0) * (b[i] ?? 0);
  return Math.min(1, Math.max(0, (dot + 1) / 2));
}
