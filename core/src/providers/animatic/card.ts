import { join } from 'node:path';
import { probe } from '../../media/probe.js';
import type { GeneratedFile, GenerateImagesRequest, ImageProvider, ProviderCallContext } from '../types.js';
import { wouldCostUsd } from './cost.js';
import { drawCard } from './draw-card.js';
import { resolvePalette, rotatePalette } from './palette.js';
import { type AnimaticSettings, animaticBadge, assertInRange, gradientEngine } from './settings.js';
import { allOrNothing } from './work-dir.js';

/** Most cards one call draws, and the largest card side in pixels. */
export const MAX_CARDS = 16;
export const MAX_CARD_SIDE = 4096;
const MIN_CARD_SIDE = 16;
/** Hue step between variants drawn over one reference image, degrees. */
const REFERENCE_HUE_STEP = 35;

/**
 * The animatic image provider: `generateImages` draws `count` storyboard cards (see `drawCard`) named
 * `animatic_card_00.png`, … in `ctx.workDir`. Variants differ visibly: each starts its gradient on the
 * next palette colour at another angle, or, over a reference image, shifts its hue (the first card
 * keeps the reference's colours, so a user's reference image is beat 1's frame). Costs nothing; each
 * card's `wouldCostUsd` is its share of what the model would charge for the call (per run or per image).
 * @throws UserError `animatic_invalid_request` for a count or size out of range, `media_not_found` /
 *   `media_invalid` naming a bad `reference`.
 */
export function createAnimaticImageProvider(settings: AnimaticSettings): ImageProvider {
  return {
    name: 'animatic',
    generateImages: (req, ctx) => generateCards(settings, req, ctx),
  };
}

/** Gradient direction of a card: a seed turns it, each variant turns it further. */
export function cardAngleDeg(seed: number | undefined, variant: number): number {
  const turns = seed !== undefined && Number.isFinite(seed) ? Math.abs(Math.trunc(seed)) % 360 : 0;
  return (20 + turns * 67 + variant * 53) % 360;
}

async function generateCards(
  settings: AnimaticSettings,
  req: GenerateImagesRequest,
  ctx: ProviderCallContext,
): Promise<GeneratedFile[]> {
  assertInRange('count', req.count, 1, MAX_CARDS, true);
  assertInRange('width', req.width, MIN_CARD_SIDE, MAX_CARD_SIDE, true);
  assertInRange('height', req.height, MIN_CARD_SIDE, MAX_CARD_SIDE, true);
  const { signal } = ctx;
  if (req.reference) await probe(req.reference, { signal });
  const engine = await gradientEngine(settings);
  const colours = resolvePalette(req.palette, settings.defaultPalette);
  const paths = Array.from({ length: req.count }, (_, i) => join(ctx.workDir, cardFileName(i)));
  const wouldCost = wouldCostUsd(req.model, { images: req.count }) / req.count;
  await allOrNothing(paths, async () => {
    for (const [i, path] of paths.entries()) {
      await drawCard(path, {
        width: req.width,
        height: req.height,
        prompt: req.prompt,
        title: req.title,
        colours: rotatePalette(colours, i),
        angleDeg: cardAngleDeg(req.seed, i),
        badge: animaticBadge(req.model),
        variantLabel: req.count > 1 ? `${i + 1}/${req.count}` : undefined,
        reference: req.reference,
        hueShiftDeg: i * REFERENCE_HUE_STEP,
        engine,
        signal,
      });
    }
  });
  return paths.map((path) => ({
    path,
    provider: 'animatic',
    model: req.model.key,
    costUsd: 0,
    wouldCostUsd: Math.round(wouldCost * 1e6) / 1e6,
  }));
}

function cardFileName(index: number): string {
  return `animatic_card_${String(index).padStart(2, '0')}.png`;
}
