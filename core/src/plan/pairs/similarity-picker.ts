import { imageVector, similarity } from './image-vector.js';
import type { PairImage, PairPickRequest, PickedPair } from './types.js';

/**
 * The deterministic picker (offline, and the LLM's fallback): a chain through the images in the
 * order given, each step going to the most similar image not used yet (smooth transitions first),
 * one pair per step. Asked for more pairs than the chain has, it adds the remaining ordered pairs,
 * most similar first; asked for fewer, it keeps the chain's most similar steps in chain order.
 */
export async function pickBySimilarity(request: PairPickRequest, signal?: AbortSignal): Promise<PickedPair[]> {
  const images = request.images;
  const vectors = new Map<string, number[]>();
  for (const image of images) vectors.set(image.assetId, await imageVector(image.path, signal));
  const sim = (a: PairImage, b: PairImage) => similarity(vectors.get(a.assetId) ?? [], vectors.get(b.assetId) ?? []);
  const pair = (a: PairImage, b: PairImage): PickedPair => {
    const score = round(sim(a, b));
    return { first: a.assetId, last: b.assetId, score, reasoning: `Perceptual similarity ${score.toFixed(2)}.` };
  };

  const chain: PickedPair[] = [];
  const unused = [...images];
  let current = unused.shift() as PairImage;
  while (unused.length > 0) {
    let best = 0;
    for (let i = 1; i < unused.length; i += 1)
      if (sim(current, unused[i] as PairImage) > sim(current, unused[best] as PairImage)) best = i;
    const next = unused.splice(best, 1)[0] as PairImage;
    chain.push(pair(current, next));
    current = next;
  }
  const wanted = request.numPairs ?? chain.length;
  if (wanted <= chain.length) {
    const kept = new Set([...chain].sort((a, b) => b.score - a.score).slice(0, wanted));
    return chain.filter((p) => kept.has(p));
  }
  const used = new Set(chain.map((p) => `${p.first}>${p.last}`));
  const rest = images
    .flatMap((a) => images.filter((b) => b !== a).map((b) => pair(a, b)))
    .filter((p) => !used.has(`${p.first}>${p.last}`))
    .sort((a, b) => b.score - a.score);
  return [...chain, ...rest].slice(0, wanted);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
