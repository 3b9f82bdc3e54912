import { z } from 'zod';
import type { PickedPair } from './types.js';

/** What the vision LLM answers (structured output). */
export const LlmPairsSchema = z.object({
  pairs: z
    .array(
      z.object({
        first: z.string().describe('asset id of the image the clip starts on'),
        last: z.string().describe('asset id of the image the clip ends on'),
        score: z.number().describe('0–1: how good a transition this pair makes'),
        reasoning: z.string().describe('one line: why this pair'),
      }),
    )
    .min(1),
});
export type LlmPairs = z.infer<typeof LlmPairsSchema>;

/**
 * The rules an answer must meet beyond its shape: ids among the user's images, a pair never goes
 * from an image to itself, scores within 0–1, the asked number of pairs. Empty = valid.
 */
export function pairIssues(answer: LlmPairs, ids: readonly string[], numPairs: number | undefined): string[] {
  const known = new Set(ids);
  const issues: string[] = [];
  answer.pairs.forEach((pair, i) => {
    const n = i + 1;
    for (const side of ['first', 'last'] as const) {
      if (!known.has(pair[side])) issues.push(`pair ${n}: ${side} '${pair[side]}' is not one of the given image ids`);
    }
    if (pair.first === pair.last) issues.push(`pair ${n}: first and last are the same image`);
    if (!(pair.score >= 0 && pair.score <= 1)) issues.push(`pair ${n}: score ${pair.score} is outside 0–1`);
  });
  if (numPairs !== undefined && answer.pairs.length !== numPairs) {
    issues.push(`asked for exactly ${numPairs} pairs, got ${answer.pairs.length}`);
  }
  return issues;
}

export function toPickedPairs(answer: LlmPairs): PickedPair[] {
  return answer.pairs.map(({ first, last, score, reasoning }) => ({ first, last, score, reasoning: reasoning.trim() }));
}
