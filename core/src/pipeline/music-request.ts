import { getFlavor } from '../flavors/catalog.js';
import { musicPrompt, type Plan } from '../plan/index.js';
import type { MusicInput } from './steps/music.js';

/** The music model's request: the flavor's music prompt over the plan's audio spec. */
export function musicRequest(plan: Plan, durationS: number): MusicInput {
  const { mood, tempoBpm } = plan.audio;
  return { prompt: musicPrompt(plan, getFlavor(plan.flavor)), durationS, tempoBpm, mood };
}

/** Music gain under the clips' own audio: the flavor's, 0.7 by default (DESIGN.md §4.5). */
export function musicVolume(plan: Plan | null): number {
  return plan ? getFlavor(plan.flavor).parameters.music.volume : DEFAULT_MUSIC_VOLUME;
}

export const DEFAULT_MUSIC_VOLUME = 0.7;
