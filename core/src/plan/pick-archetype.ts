import type { Archetype, BeatLibrary } from './library.js';
import { countMatches } from './prompt-reading.js';

/**
 * The archetype whose keywords occur most in the prompt's words; among equals, one whose
 * duration range holds `durationS`, then the first in the file. No keyword at all gives the
 * library's default archetype.
 */
export function pickArchetype(words: ReadonlySet<string>, library: BeatLibrary, durationS: number): Archetype {
  let best: Archetype | undefined;
  let bestRank = 0;
  for (const archetype of library.archetypes.values()) {
    const score = countMatches(words, archetype.keywords);
    if (score === 0) continue;
    const [min, max] = archetype.durationRangeS;
    const rank = score * 2 + (durationS >= min && durationS <= max ? 1 : 0);
    if (rank > bestRank) [best, bestRank] = [archetype, rank];
  }
  return best ?? (library.archetypes.get(library.defaultArchetypeId) as Archetype);
}
