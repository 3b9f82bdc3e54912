import { UserError } from '../errors.js';
import { ENCODE_PRESET } from './encode-preset.js';

/** How a picture of another aspect ratio is brought to the frame: letterboxed (`pad`) or cut (`crop`). */
export type FitMode = 'pad' | 'crop';

/** The frame every normalised clip is brought to. */
export interface FrameSpec {
  /** Even, positive pixel counts (yuv420p needs even sizes). */
  width: number;
  height: number;
  /** Frames per second, > 0. */
  fps: number;
  fit?: FitMode | undefined;
}

/**
 * Checks a frame spec.
 * @throws UserError `media_invalid_options` when a size is not an even positive integer or fps is not positive.
 */
export function assertFrameSpec(spec: FrameSpec): void {
  for (const [name, value] of [
    ['width', spec.width],
    ['height', spec.height],
  ] as const) {
    if (!Number.isInteger(value) || value <= 0 || value % 2 !== 0) {
      throw new UserError('media_invalid_options', `${name} must be an even positive integer, got ${value}`);
    }
  }
  if (!Number.isFinite(spec.fps) || spec.fps <= 0) {
    throw new UserError('media_invalid_options', `fps must be a positive number, got ${spec.fps}`);
  }
}

/** Checks a duration in seconds. @throws UserError `media_invalid_options` unless it is finite and > 0. */
export function assertPositiveDuration(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new UserError('media_invalid_options', `${name} must be a positive number of seconds, got ${value}`);
  }
}

/**
 * A video filter chain bringing any picture to exactly width×height at a constant fps, square pixels,
 * yuv420p, timestamps starting at 0.
 */
export function frameFilter(spec: FrameSpec): string {
  const { width: w, height: h } = spec;
  const fit =
    spec.fit === 'crop'
      ? `scale=${w}:${h}:force_original_aspect_ratio=increase,crop=${w}:${h}`
      : `scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:color=black`;
  return `${fit},setsar=1,fps=${fps(spec.fps)},format=${ENCODE_PRESET.pixelFormat},setpts=PTS-STARTPTS`;
}

/** An audio filter chain bringing any audio to the preset's rate and layout, lasting exactly `durationS`. */
export function audioTrackFilter(durationS: number): string {
  return audioFit(`duration=${seconds(durationS)}`);
}

/**
 * As `audioTrackFilter`, but exactly `samples` samples at the preset's rate: joined tracks whose sample
 * counts come from `sampleSpans` add up to the video's length without drifting by a rounding per clip.
 */
export function audioSamplesFilter(samples: number): string {
  return audioFit(`end_sample=${samples}`);
}

/** A filter source of silence in the preset's format lasting exactly `durationS`. */
export function silenceSource(durationS: number): string {
  return `anullsrc=r=${ENCODE_PRESET.audioSampleRate}:cl=stereo,atrim=duration=${seconds(durationS)}`;
}

/** A filter source of exactly `samples` samples of silence in the preset's format. */
export function silenceSamplesSource(samples: number): string {
  return `anullsrc=r=${ENCODE_PRESET.audioSampleRate}:cl=stereo,atrim=end_sample=${samples}`;
}

/**
 * Sample counts at the preset's rate of consecutive spans lasting `lengthsS` seconds, rounded at the
 * cumulative boundaries so that together they last exactly the sum (no rounding drift across spans).
 */
export function sampleSpans(lengthsS: readonly number[]): number[] {
  const rate = ENCODE_PRESET.audioSampleRate;
  let endS = 0;
  let endSample = 0;
  return lengthsS.map((lengthS) => {
    endS += lengthS;
    const next = Math.round(endS * rate);
    const span = next - endSample;
    endSample = next;
    return span;
  });
}

/**
 * A video filter chain giving exactly `frames` frames: longer input is cut, shorter input holds its
 * last frame (the fps filter may round a clip's length to one frame less than its duration implies).
 */
export function exactFramesFilter(frames: number): string {
  return `tpad=stop_mode=clone:stop=-1,trim=end_frame=${frames}`;
}

function audioFit(trim: string): string {
  const { audioSampleRate } = ENCODE_PRESET;
  return [
    `aresample=${audioSampleRate}`,
    `aformat=sample_fmts=fltp:sample_rates=${audioSampleRate}:channel_layouts=stereo`,
    'asetpts=PTS-STARTPTS',
    'apad',
    `atrim=${trim}`,
  ].join(',');
}

/** Seconds formatted for ffmpeg with microsecond precision. */
export function seconds(value: number): string {
  return value.toFixed(6);
}

function fps(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(6);
}
