import type { AudioSeed } from './library.js';
import { countMatches } from './prompt-reading.js';
import type { Rng } from './random.js';
import type { AudioSpec } from './schema.js';

interface MusicRule {
  keywords: string[];
  style: string;
  mood: string;
  tempoBpm: number;
}

const RULES: readonly MusicRule[] = [
  rule(
    'calm relaxing relax chill peaceful serene gentle slow spa zen sleep meditation',
    'soft ambient pads',
    'calm',
    72,
  ),
  rule('epic heroic powerful trailer legendary', 'epic orchestral', 'dramatic', 100),
  rule('party dance club celebration festival disco rave', 'upbeat electronic dance', 'euphoric', 124),
  rule('hip-hop hiphop rap streetwear', 'hip-hop beat', 'confident', 92),
  rule('rock punk rebellious grunge motorcycle', 'driving rock guitar', 'rebellious', 140),
  rule('jazz lounge cocktail', 'smooth lounge jazz', 'relaxed', 90),
  rule('romantic love valentine wedding', 'romantic strings and piano', 'tender', 76),
  rule('retro vintage 80s synthwave nostalgic', 'retro synthwave', 'nostalgic', 110),
];

const INTENSE = ['energetic', 'intense', 'hype', 'adrenaline', 'explosive', 'fast'];
const TEMPO_BOOST_BPM = 12;
/** At creativity 1 the tempo moves by up to ± this. */
const TEMPO_JITTER_BPM = 6;

export interface DeriveAudioOptions {
  words: ReadonlySet<string>;
  /** The archetype's (or mode's) starting point. */
  seed: AudioSeed;
  /** The flavor's shift. */
  tempoShiftBpm: number;
  creativity: number;
  rng: Rng;
}

/**
 * The audio spec: the seed's style, tempo and mood, replaced by the strongest music keyword rule
 * of the prompt ("chill" → ambient at 72 BPM, "party" → dance at 124), sped up by intense words,
 * shifted by the flavor, varied by up to ±6 BPM × creativity, and kept within 60–180 BPM.
 */
export function deriveAudio(options: DeriveAudioOptions): AudioSpec {
  const { words, seed, tempoShiftBpm, creativity, rng } = options;
  const matched = strongestRule(words);
  let tempo = matched?.tempoBpm ?? seed.tempoBpm;
  if (countMatches(words, INTENSE) > 0) tempo += TEMPO_BOOST_BPM;
  const spread = Math.round(creativity * TEMPO_JITTER_BPM);
  tempo += tempoShiftBpm + (spread > 0 ? rng.int(2 * spread + 1) - spread : 0);
  return {
    style: matched?.style ?? seed.style,
    tempoBpm: Math.min(180, Math.max(60, Math.round(tempo))),
    mood: matched?.mood ?? seed.mood,
  };
}

function strongestRule(words: ReadonlySet<string>): MusicRule | undefined {
  let best: MusicRule | undefined;
  let bestScore = 0;
  for (const candidate of RULES) {
    const score = countMatches(words, candidate.keywords);
    if (score > bestScore) [best, bestScore] = [candidate, score];
  }
  return best;
}

function rule(keywords: string, style: string, mood: string, tempoBpm: number): MusicRule {
  return { keywords: keywords.split(' '), style, mood, tempoBpm };
}
