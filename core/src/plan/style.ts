import type { FlavorParameters } from '../flavors/schema.js';
import { countMatches, type PromptReading } from './prompt-reading.js';
import type { PlanStyle } from './schema.js';

interface MoodStyle {
  keywords: string[];
  palette: string[];
  look: string;
  lighting: string;
}

const COLOURS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    black: '#0b0b0b',
    white: '#f5f5f5',
    gold: '#d4af37',
    golden: '#d4af37',
    silver: '#c0c0c0',
    bronze: '#cd7f32',
    copper: '#b87333',
    red: '#d32f2f',
    crimson: '#b0122b',
    orange: '#f57c00',
    yellow: '#fbc02d',
    green: '#2e7d32',
    mint: '#98e2c6',
    teal: '#00897b',
    turquoise: '#26c6da',
    blue: '#1e88e5',
    navy: '#1a237e',
    purple: '#7b1fa2',
    violet: '#8e24aa',
    pink: '#ec407a',
    magenta: '#d81b60',
    coral: '#ff7f50',
    brown: '#6d4c41',
    beige: '#e8d8c3',
    cream: '#f3e9d2',
    ivory: '#fffff0',
    grey: '#9e9e9e',
    gray: '#9e9e9e',
  }),
);

const MOODS: readonly MoodStyle[] = [
  mood('luxury luxurious premium elegant watch jewelry jewellery perfume diamond exclusive couture', {
    palette: ['#0b0b0b', '#d4af37', '#f3e9d2'],
    look: 'sleek high-end luxury commercial look',
    lighting: 'dramatic low-key lighting with golden highlights',
  }),
  mood('fresh organic natural eco healthy garden herbal vegan juice smoothie spring', {
    palette: ['#2e7d32', '#8bc34a', '#f1f8e9'],
    look: 'bright airy natural look',
    lighting: 'soft morning sunlight',
  }),
  mood('energetic energy sport sneaker running fitness gym athlete extreme power fast training', {
    palette: ['#ff3d00', '#111111', '#ffd600'],
    look: 'bold high-contrast sports commercial look',
    lighting: 'hard directional light with strong contrast',
  }),
  mood('tech technology futuristic ai digital app smartphone gadget device innovation robot', {
    palette: ['#0a0f1f', '#00e5ff', '#7c4dff'],
    look: 'clean futuristic tech look',
    lighting: 'cool rim lighting with neon accents',
  }),
  mood('summer beach ocean sea tropical sunny surf vacation', {
    palette: ['#0288d1', '#ffe082', '#fff8e1'],
    look: 'sun-drenched summer look',
    lighting: 'bright golden-hour sunlight',
  }),
  mood('cozy cosy warm autumn fall coffee home winter bakery', {
    palette: ['#6d4c41', '#e6a157', '#fbe9d0'],
    look: 'warm inviting lifestyle look',
    lighting: 'warm soft window light',
  }),
  mood('romantic love valentine wedding', {
    palette: ['#ad1457', '#f8bbd0', '#fff0f5'],
    look: 'soft dreamy romantic look',
    lighting: 'diffused warm backlight',
  }),
  mood('night neon club party urban cyberpunk nightlife', {
    palette: ['#0d0221', '#ff2a6d', '#05d9e8'],
    look: 'neon-lit night look',
    lighting: 'neon practical lighting',
  }),
  mood('calm minimal minimalist clean serene zen spa', {
    palette: ['#eceff1', '#b0bec5', '#37474f'],
    look: 'minimal serene look',
    lighting: 'soft diffused daylight',
  }),
];

/** The style when neither the prompt nor the flavor says anything. */
export const DEFAULT_STYLE: Readonly<PlanStyle> = Object.freeze({
  palette: ['#1a1a1a', '#f5f5f5', '#3d5afe'],
  look: 'clean modern commercial look',
  lighting: 'soft studio lighting',
});

/**
 * The plan's style from the prompt and the flavor. Palette: colours the prompt names (in order,
 * up to 5) win; with one named colour it leads the base palette; otherwise the base is the
 * flavor's palette, else the palette of the prompt's strongest mood ("luxury" → black and gold,
 * "fresh" → greens), else a neutral default. Look and lighting: the flavor's, else the mood's,
 * else the default.
 */
export function deriveStyle(reading: PromptReading, overrides: FlavorParameters['style'] = {}): PlanStyle {
  const named = [...new Set(reading.tokens.map((token) => COLOURS.get(token)).filter((hex) => hex !== undefined))];
  const matched = strongestMood(reading.words);
  const base = overrides.palette ?? matched?.palette ?? DEFAULT_STYLE.palette;
  const palette = named.length >= 2 ? named : [...named, ...base.filter((hex) => !named.includes(hex.toLowerCase()))];
  return {
    palette: palette.slice(0, 5).map((hex) => hex.toLowerCase()),
    look: overrides.look ?? matched?.look ?? DEFAULT_STYLE.look,
    lighting: overrides.lighting ?? matched?.lighting ?? DEFAULT_STYLE.lighting,
  };
}

/** The `{style}` text of prompts: look and lighting. */
export function styleText(style: PlanStyle): string {
  return `${style.look}, ${style.lighting}`;
}

function strongestMood(words: ReadonlySet<string>): MoodStyle | undefined {
  let best: MoodStyle | undefined;
  let bestScore = 0;
  for (const candidate of MOODS) {
    const score = countMatches(words, candidate.keywords);
    if (score > bestScore) [best, bestScore] = [candidate, score];
  }
  return best;
}

function mood(keywords: string, style: Omit<MoodStyle, 'keywords'>): MoodStyle {
  return { keywords: keywords.split(' '), ...style };
}
