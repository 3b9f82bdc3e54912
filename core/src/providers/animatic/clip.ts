import { join } from 'node:path';
import { imageToClip } from '../../media/image-to-clip.js';
import { probe } from '../../media/probe.js';
import type { GenerateClipRequest, GeneratedFile, ProviderCallContext, VideoProvider } from '../types.js';
import { resolveCameraMove } from './camera.js';
import { cardAngleDeg } from './card.js';
import { wouldCostUsd } from './cost.js';
import { crossFadeToImage } from './cross-fade.js';
import { drawCard } from './draw-card.js';
import { animaticOutputDurationS } from './duration.js';
import { resolvePalette } from './palette.js';
import { renderPullBackCanvas } from './pull-back.js';
import { type AnimaticSettings, animaticBadge, type ClipFrame, clipFrame, gradientEngine } from './settings.js';
import { withScratch } from './work-dir.js';

/** File name of the clip in `ctx.workDir`. */
export const CLIP_FILE = 'animatic_clip.mp4';

/**
 * The animatic video provider. `generateClip` writes `animatic_clip.mp4` into `ctx.workDir`: the first
 * frame (or, text-to-video, a storyboard card drawn from the prompt) animated with the requested camera
 * move (`resolveCameraMove`), at exactly the model's width×height and fps, lasting what the real model
 * would output (`animaticOutputDurationS`; round(duration × fps) frames), cross-faded into `lastFrame`
 * at the end when one is given, with a silent AAC track, encoded with the media preset so animatic
 * clips join by stream copy. Every move starts at the identity (its first frame is the input image),
 * so a chunk that starts from the previous chunk's last frame continues it without a jump. Costs
 * nothing; `wouldCostUsd` is the model's price for that output.
 * @throws UserError `animatic_invalid_request`, `media_not_found` / `media_invalid` naming a bad frame image.
 */
export function createAnimaticVideoProvider(settings: AnimaticSettings): VideoProvider {
  return {
    name: 'animatic',
    generateClip: (req, ctx) => generateClip(settings, req, ctx),
  };
}

async function generateClip(
  settings: AnimaticSettings,
  req: GenerateClipRequest,
  ctx: ProviderCallContext,
): Promise<GeneratedFile> {
  const { model, prompt } = req;
  const { signal } = ctx;
  const durationS = animaticOutputDurationS(model, req.durationS);
  const frame = clipFrame(model, settings.defaultFrame);
  const frames = Math.max(1, Math.round(durationS * frame.fps));
  const camera = resolveCameraMove(req.cameraMovement, prompt, req.seed);
  for (const image of [req.firstFrame, req.lastFrame]) if (image) await probe(image, { signal });
  const out = join(ctx.workDir, CLIP_FILE);
  await withScratch(ctx.workDir, async (scratch) => {
    const still = req.firstFrame ?? (await drawPromptCard(settings, req, frame, join(scratch, 'card.png'), signal));
    let source = still;
    if (camera === 'dolly_out') {
      source = join(scratch, 'pull-back.png');
      await renderPullBackCanvas(still, source, frame, signal);
    }
    const moving = req.lastFrame ? join(scratch, 'moving.mp4') : out;
    await imageToClip(source, moving, { ...frame, durationS: frames / frame.fps, camera, signal });
    if (req.lastFrame) await crossFadeToImage(moving, req.lastFrame, out, { ...frame, frames, signal });
  });
  return {
    path: out,
    provider: 'animatic',
    model: model.key,
    costUsd: 0,
    wouldCostUsd: wouldCostUsd(model, { seconds: durationS }),
    durationS: frames / frame.fps,
  };
}

async function drawPromptCard(
  settings: AnimaticSettings,
  req: GenerateClipRequest,
  frame: ClipFrame,
  out: string,
  signal: AbortSignal,
): Promise<string> {
  await drawCard(out, {
    width: frame.width,
    height: frame.height,
    prompt: req.prompt,
    colours: resolvePalette(undefined, settings.defaultPalette),
    angleDeg: cardAngleDeg(req.seed, 0),
    badge: animaticBadge(req.model),
    engine: await gradientEngine(settings),
    signal,
  });
  return out;
}
