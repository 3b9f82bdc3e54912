import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mediaBinaries } from '../../src/media/binaries.js';

/** A temp folder for one test file; `remove()` deletes it. */
export function makeWorkDir(): { dir: string; path: (name: string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'reelsmith-media-test-'));
  return { dir, path: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs ffmpeg synchronously (fixtures only). */
export function ffmpegSync(args: string[]): Buffer {
  return execFileSync(mediaBinaries().ffmpeg, ['-v', 'error', '-nostdin', '-y', ...args], {
    maxBuffer: 64 * 1024 * 1024,
  });
}

export interface ClipSpec {
  width?: number;
  height?: number;
  durationS?: number;
  fps?: number;
  audio?: boolean;
  /** Gain of the sine tone, 0–1 (default 1). */
  audioVolume?: number;
  /** A lavfi video source; default testsrc2. */
  source?: string;
}

/** Writes an H.264/AAC mp4 from lavfi sources (testsrc2 + a 440 Hz sine by default). */
export function makeClip(out: string, spec: ClipSpec = {}): string {
  const { width = 160, height = 90, durationS = 1, fps = 25, audio = true } = spec;
  const video = `${spec.source ?? 'testsrc2'}=s=${width}x${height}:r=${fps}:d=${durationS}`;
  const args = ['-f', 'lavfi', '-i', video];
  if (audio) args.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${durationS}`);
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-profile:v', 'high');
  if (audio) args.push('-af', `volume=${spec.audioVolume ?? 1}`, '-c:a', 'aac', '-ar', '48000', '-ac', '2');
  ffmpegSync([...args, '-shortest', out]);
  return out;
}

/** Writes a tone of `durationS` seconds at `volume` (0–1) to `out` (codec from its extension). */
export function makeTone(out: string, durationS: number, volume = 1, frequency = 440): string {
  const source = `sine=frequency=${frequency}:sample_rate=48000:duration=${durationS}`;
  ffmpegSync(['-f', 'lavfi', '-i', source, '-af', `volume=${volume}`, '-ac', '2', out]);
  return out;
}

/** Writes a still image of a lavfi source (`testsrc2`, `color=c=gray`, …) to `out`. */
export function makeImage(out: string, width = 320, height = 180, source = 'testsrc2'): string {
  const separator = source.includes('=') ? ':' : '=';
  ffmpegSync(['-f', 'lavfi', '-i', `${source}${separator}s=${width}x${height}`, '-frames:v', '1', out]);
  return out;
}

/** Decodes a picture (the first frame of a video) and returns the RGB of its centre pixel. */
export function centrePixel(file: string, width: number, height: number): [number, number, number] {
  const raw = ffmpegSync(['-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);
  const offset = (Math.floor(height / 2) * width + Math.floor(width / 2)) * 3;
  return [raw[offset] ?? -1, raw[offset + 1] ?? -1, raw[offset + 2] ?? -1];
}

/** Decodes one frame of a video (`index`, 0-based) into raw rgb24 bytes. */
export function frameBytes(video: string, index: number): Buffer {
  return ffmpegSync([
    '-i',
    video,
    '-vf',
    `select=eq(n\\,${index})`,
    '-frames:v',
    '1',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    'pipe:1',
  ]);
}

/** Mean volume in dBFS of a file's audio (volumedetect); -91 for digital silence. */
export function meanVolumeDb(file: string): number {
  const run = spawnSync(
    mediaBinaries().ffmpeg,
    ['-nostdin', '-i', file, '-vn', '-af', 'volumedetect', '-f', 'null', '-'],
    {
      encoding: 'utf8',
    },
  );
  const match = /mean_volume:\s*(-?[\d.]+|-inf) dB/.exec(run.stderr);
  if (!match?.[1]) throw new Error(`volumedetect printed no mean volume for ${file}: ${run.stderr.slice(-500)}`);
  return match[1] === '-inf' ? -91 : Number(match[1]);
}

/** Writes deterministic junk bytes that no demuxer accepts. */
export function writeJunk(out: string, size = 64 * 1024): string {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 7919 + 13) % 251;
  writeFileSync(out, bytes);
  return out;
}

/** Every entry (files and folders, dotfiles included) directly in `dir`, sorted. */
export function listDir(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** Pids of this process's ffmpeg/ffprobe children, optionally only those whose command line contains `argsContaining`. */
export function mediaChildPids(argsContaining = ''): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,comm=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, comm, ...args]) => (comm === 'ffmpeg' || comm === 'ffprobe') && args.join(' ').includes(argsContaining))
    .map(([pid]) => Number(pid));
}
