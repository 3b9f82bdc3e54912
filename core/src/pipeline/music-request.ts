import type { Plan } from '../plan/index.js';
import type { MusicInput } from './steps/music.js';

/** The music model's request from the plan's audio spec. */
export function musicRequest(plan: Plan, durationS: number): MusicInput {
  const { style, mood, tempoBpm } = plan.audio;
  return {
    prompt: `${style}, ${mood} mood, ${tempoBpm} BPM, instrumental, no vocals`,
    durationS,
    tempoBpm,
    mood,
  };
}
