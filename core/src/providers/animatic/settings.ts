import { UserError } from '../../errors.js';
import type { ModelSpec } from '../../models/types.js';
import { ffmpegHasFilter } from './ffmpeg-filters.js';
import type { GradientEngine } from './gradient.js';
import { DEFAULT_PALETTE } from './palette.js';

/** The frame of a clip: even pixel sizes and frames per second. */
export interface ClipFrame {
  width: number;
  height: number;
  fps: number;
}

/** Options of `createAnimaticProviders`. */
export interface AnimaticOptions {
  /** Card colours when a request brings no usable palette (default `DEFAULT_PALETTE`). */
  defaultPalette?: readonly string[] | undefined;
  /** Frame of clips whose model spec lacks width, height or fps (default 1280×720 at 24 fps). */
  defaultFrame?: ClipFrame | undefined;
  /**
   * How card gradients are drawn: `auto` (default) uses ffmpeg's `gradients` source when the resolved
   * binary has it and the portable `geq` drawing otherwise (the 2018 npm ffmpeg); both look the same.
   */
  gradient?: 'auto' | GradientEngine | undefined;
}

/** `AnimaticOptions` with every default filled in; shared by the four providers. */
export interface AnimaticSettings {
  readonly defaultPalette: readonly string[];
  readonly defaultFrame: ClipFrame;
  readonly gradient: 'auto' | GradientEngine;
}

const DEFAULT_FRAME: ClipFrame = Object.freeze({ width: 1280, height: 720, fps: 24 });

/** Fills in the defaults of `options`. */
export function resolveSettings(options: AnimaticOptions = {}): AnimaticSettings {
  return Object.freeze({
    defaultPalette: options.defaultPalette ?? DEFAULT_PALETTE,
    defaultFrame: options.defaultFrame ?? DEFAULT_FRAME,
    gradient: options.gradient ?? 'auto',
  });
}

/** The gradient engine to draw with under `settings` (detected once per ffmpeg binary for `auto`). */
export async function gradientEngine(settings: AnimaticSettings): Promise<GradientEngine> {
  if (settings.gradient !== 'auto') return settings.gradient;
  return (await ffmpegHasFilter('gradients')) ? 'gradients' : 'geq';
}

/** The honesty label every animatic picture carries. */
export function animaticBadge(model: ModelSpec): string {
  return `ANIMATIC PREVIEW · ${model.key}`;
}

/** The frame a clip of `model` has: the model's own size and fps, else `fallback`; sizes rounded down to even. */
export function clipFrame(model: ModelSpec, fallback: ClipFrame): ClipFrame {
  const width = model.width && model.height ? model.width : fallback.width;
  const height = model.width && model.height ? model.height : fallback.height;
  const fps = model.fps && model.fps > 0 ? model.fps : fallback.fps;
  return { width: Math.max(2, width - (width % 2)), height: Math.max(2, height - (height % 2)), fps };
}

/**
 * Checks a request number.
 * @throws UserError `animatic_invalid_request` naming `name` unless `value` is finite and within [min, max]
 *   (and an integer when `integer`).
 */
export function assertInRange(name: string, value: number, min: number, max: number, integer = false): void {
  const ok = Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value));
  if (!ok) {
    const kind = integer ? 'an integer' : 'a number';
    throw new UserError('animatic_invalid_request', `${name} must be ${kind} from ${min} to ${max}, got ${value}`, {
      details: { [name]: value, min, max },
    });
  }
}
