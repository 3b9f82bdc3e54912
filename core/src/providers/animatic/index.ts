import type { Providers } from '../types.js';
import { createAnimaticImageProvider } from './card.js';
import { createAnimaticVideoProvider } from './clip.js';
import { createAnimaticLipsyncProvider } from './lipsync.js';
import { createAnimaticMusicProvider } from './music.js';
import { type AnimaticOptions, resolveSettings } from './settings.js';

export { cardAngleDeg, createAnimaticImageProvider, MAX_CARD_SIDE, MAX_CARDS } from './card.js';
export { CLIP_FILE, createAnimaticVideoProvider } from './clip.js';
export { type BilledOutput, wouldCostUsd } from './cost.js';
export { animaticOutputDurationS } from './duration.js';
export { createAnimaticLipsyncProvider, LIPSYNC_FILE } from './lipsync.js';
export { createAnimaticMusicProvider, MAX_MUSIC_S, MAX_TEMPO_BPM, MIN_TEMPO_BPM, MUSIC_FILE } from './music.js';
export { CHORDS, type ChordQuality, chordForMood } from './music-score.js';
export { DEFAULT_PALETTE, resolvePalette } from './palette.js';
export type { AnimaticOptions, ClipFrame } from './settings.js';

/**
 * Reelsmith's offline provider: storyboard cards, animated clips, a synthesized music bed and a
 * muxed "lipsync", all rendered locally with ffmpeg, all labelled `animatic` (`provider` on every
 * GeneratedFile, "ANIMATIC PREVIEW · <model>" on every picture). Every call costs 0 and reports
 * `wouldCostUsd`, what the chosen model would have charged; honours `ctx.signal` (ffmpeg is killed)
 * and writes only inside `ctx.workDir`, leaving no partial output when it fails.
 */
export function createAnimaticProviders(options: AnimaticOptions = {}): Providers {
  const settings = resolveSettings(options);
  return {
    name: 'animatic',
    image: createAnimaticImageProvider(settings),
    video: createAnimaticVideoProvider(settings),
    music: createAnimaticMusicProvider(),
    lipsync: createAnimaticLipsyncProvider(),
  };
}
