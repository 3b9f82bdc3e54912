import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mediaBinaries } from '../../../src/media/binaries.js';
import type { ModelSpec } from '../../../src/models/types.js';
import type { ProviderCallContext } from '../../../src/providers/types.js';
import { ffmpegSync } from '../../media/fixtures.js';

/** A model spec with every required field; `overrides` sets what a test cares about. */
export function modelSpec(overrides: Partial<ModelSpec> & Pick<ModelSpec, 'key' | 'kind'>): ModelSpec {
  return {
    replicateId: `test/${overrides.key}`,
    label: overrides.key,
    description: `test model ${overrides.key}`,
    durationControllable: false,
    params: { prompt: 'prompt' },
    fixedInputs: {},
    supports: { textToVideo: true, firstFrame: true, lastFrame: true, referenceImages: true },
    cost: { unit: 'run', usd: 0 },
    ...overrides,
  };
}

/** 320×180 at 12 fps, one output length of 2 s, $0.05 per second. */
export const SINGLE_LENGTH_MODEL = modelSpec({
  key: 'tiny-single',
  kind: 'video',
  actualChunkDurationS: 2,
  fps: 12,
  width: 320,
  height: 180,
  cost: { unit: 'second', usd: 0.05 },
});

/** 320×180 at 12 fps, 4, 6 or 8 s, $0.40 per run. */
export const CHOICE_MODEL = modelSpec({
  key: 'tiny-choice',
  kind: 'video',
  allowedDurationsS: [4, 6, 8],
  durationControllable: true,
  fps: 12,
  width: 320,
  height: 180,
  cost: { unit: 'run', usd: 0.4 },
});

/** A folder of call folders for one test file; `remove()` deletes it. */
export function makeCallDirs(): { root: string; next: (label: string) => string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'reelsmith-animatic-test-'));
  let count = 0;
  return {
    root,
    next: (label) => join(root, `${String(count++).padStart(2, '0')}-${label}`),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** A provider call context writing into `workDir`. */
export function callContext(workDir: string, signal: AbortSignal = new AbortController().signal): ProviderCallContext {
  return { signal, stepKey: `test.${workDir.split('/').at(-1) ?? 'call'}`, workDir };
}

/** Entries of `dir`, dotfiles included, sorted; [] when it does not exist. */
export function entries(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/**
 * Frame `index` (0-based) of a video, or a still picture, as w×h grey bytes (area-averaged luma): what a
 * picture shows, blind to the colour smearing of 4:2:0 chroma subsampling.
 */
export function thumbnail(file: string, w: number, h: number, index = 0): Buffer {
  return ffmpegSync([
    '-i',
    file,
    '-vf',
    `select=eq(n\\,${index}),scale=${w}:${h}:flags=area,format=gray`,
    '-frames:v',
    '1',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'gray',
    'pipe:1',
  ]);
}

/** Full-size rgb24 bytes of a still picture. */
export function pixels(file: string): Buffer {
  return ffmpegSync(['-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);
}

/** The RGB of pixel (x, y) of an rgb24 buffer `width` pixels wide. */
export function pixelAt(raw: Buffer, width: number, x: number, y: number): [number, number, number] {
  const offset = (y * width + x) * 3;
  return [raw[offset] ?? -1, raw[offset + 1] ?? -1, raw[offset + 2] ?? -1];
}

/** Mean absolute difference of two equally long byte buffers, 0–255. */
export function meanAbsDiff(a: Buffer, b: Buffer): number {
  if (a.length !== b.length) throw new Error(`buffers differ in length: ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / a.length;
}

/** Largest per-channel distance between two colours. */
export function colourDistance(a: readonly number[], b: readonly number[]): number {
  return Math.max(...a.map((value, i) => Math.abs(value - (b[i] ?? 0))));
}

/**
 * Beat onsets of a music file, seconds: the audio low-passed to the kick's band, its RMS envelope over
 * 30 ms windows every 5 ms,
 * and every rise above half the envelope's peak, re-armed once the envelope has fallen below a quarter.
 */
export function kickOnsets(file: string): number[] {
  const rate = 4000;
  const args = ['-i', file, '-af', 'lowpass=f=120,lowpass=f=120', '-ac', '1', '-ar', String(rate), '-f', 'f32le'];
  const raw = ffmpegSync([...args, 'pipe:1']);
  const samples = new Float32Array(raw.buffer, raw.byteOffset, Math.floor(raw.length / 4));
  const hop = rate / 200;
  const window = hop * 6;
  const envelope: number[] = [];
  for (let start = 0; start + window <= samples.length; start += hop) {
    let energy = 0;
    for (let i = start; i < start + window; i++) energy += (samples[i] ?? 0) ** 2;
    envelope.push(Math.sqrt(energy / window));
  }
  const peak = Math.max(...envelope);
  const onsets: number[] = [];
  let armed = true;
  for (const [i, level] of envelope.entries()) {
    if (armed && level >= peak / 2) {
      onsets.push(i / 200);
      armed = false;
    } else if (!armed && level < peak / 4) {
      armed = true;
    }
  }
  return onsets;
}

/** The median of `values`. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Mean volume's sibling: the peak level in dBFS of a file's audio (volumedetect). */
export function maxVolumeDb(file: string): number {
  const run = spawnSync(
    mediaBinaries().ffmpeg,
    ['-nostdin', '-i', file, '-vn', '-af', 'volumedetect', '-f', 'null', '-'],
    {
      encoding: 'utf8',
    },
  );
  const match = /max_volume:\s*(-?[\d.]+) dB/.exec(run.stderr);
  if (!match?.[1]) throw new Error(`volumedetect printed no max volume for ${file}`);
  return Number(match[1]);
}

/** Amplitude (0–1) of the `hz` sine component of a file's audio between `fromS` and `toS` (Goertzel). */
export function toneAmplitude(file: string, hz: number, fromS: number, toS: number): number {
  const rate = 8000;
  const raw = ffmpegSync(['-i', file, '-ac', '1', '-ar', String(rate), '-f', 'f32le', 'pipe:1']);
  const samples = new Float32Array(raw.buffer, raw.byteOffset, Math.floor(raw.length / 4));
  const start = Math.round(fromS * rate);
  const end = Math.min(samples.length, Math.round(toS * rate));
  const coefficient = 2 * Math.cos((2 * Math.PI * hz) / rate);
  let previous = 0;
  let beforePrevious = 0;
  for (let i = start; i < end; i++) {
    const current = (samples[i] ?? 0) + coefficient * previous - beforePrevious;
    beforePrevious = previous;
    previous = current;
  }
  const power = previous ** 2 + beforePrevious ** 2 - coefficient * previous * beforePrevious;
  return (2 * Math.sqrt(Math.max(0, power))) / Math.max(1, end - start);
}
