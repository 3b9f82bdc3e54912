import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import ffmpeg from 'fluent-ffmpeg';
import { PermanentError } from '../errors.js';

/** Where the ffmpeg/ffprobe pair came from: configured paths, the system PATH, or the npm installer packages. */
export type MediaBinarySource = 'env' | 'system' | 'npm';

/** Absolute paths (or PATH-resolved command names for `system`) of the binaries every media function runs. */
export interface MediaBinaries {
  readonly ffmpeg: string;
  readonly ffprobe: string;
  readonly source: MediaBinarySource;
}

/** Explicit binary and font locations, usually config's FFMPEG_PATH / FFPROBE_PATH. */
export interface MediaBinaryOptions {
  ffmpegPath?: string | undefined;
  ffprobePath?: string | undefined;
  /** A TrueType font for drawtext; defaults to DejaVuSans.ttf found in the usual system font folders. */
  fontFile?: string | undefined;
}

const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/local/share/fonts/DejaVuSans.ttf',
  '/opt/homebrew/share/fonts/DejaVuSans.ttf',
];

let configured: MediaBinaryOptions = {};
let resolvedBinaries: MediaBinaries | undefined;
let resolvedFont: string | undefined;

/**
 * Sets the binaries (and font) to use. Call once at startup, before the first media call; it clears
 * the memoised resolution so the next `mediaBinaries()` resolves again with these options.
 */
export function configureMediaBinaries(options: MediaBinaryOptions): void {
  configured = { ...options };
  resolvedBinaries = undefined;
  resolvedFont = undefined;
}

/**
 * The ffmpeg/ffprobe pair, resolved once and memoised: configured paths, else `ffmpeg`/`ffprobe` on the
 * system PATH, else the @ffmpeg-installer / @ffprobe-installer packaged binaries. Also points
 * fluent-ffmpeg at them, so fluent-ffmpeg never consults the environment.
 * @throws PermanentError when a configured path does not exist or no binary can be found.
 */
export function mediaBinaries(): MediaBinaries {
  if (!resolvedBinaries) {
    resolvedBinaries = resolveBinaries(configured);
    ffmpeg.setFfmpegPath(resolvedBinaries.ffmpeg);
    ffmpeg.setFfprobePath(resolvedBinaries.ffprobe);
  }
  return resolvedBinaries;
}

/**
 * A font file for ffmpeg's drawtext (configured `fontFile`, else DejaVuSans.ttf), memoised.
 * @throws PermanentError when no font file exists.
 */
export function mediaFontFile(): string {
  if (resolvedFont) return resolvedFont;
  const candidates = configured.fontFile ? [configured.fontFile] : FONT_CANDIDATES;
  const found = candidates.find((file) => existsSync(file));
  if (!found) {
    throw new PermanentError(`No font file for drawtext: looked for ${candidates.join(', ')}`);
  }
  resolvedFont = found;
  return found;
}

function resolveBinaries(options: MediaBinaryOptions): MediaBinaries {
  if (options.ffmpegPath || options.ffprobePath) {
    const ffmpegPath = options.ffmpegPath ?? systemOrPackaged('ffmpeg');
    const ffprobePath = options.ffprobePath ?? systemOrPackaged('ffprobe');
    for (const file of [ffmpegPath, ffprobePath]) {
      if (file.includes('/') && !existsSync(file)) {
        throw new PermanentError(`Configured media binary does not exist: ${file}`);
      }
    }
    return { ffmpeg: ffmpegPath, ffprobe: ffprobePath, source: 'env' };
  }
  if (runsOnPath('ffmpeg') && runsOnPath('ffprobe')) {
    return { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe', source: 'system' };
  }
  return { ffmpeg: packagedBinary('ffmpeg'), ffprobe: packagedBinary('ffprobe'), source: 'npm' };
}

function systemOrPackaged(name: 'ffmpeg' | 'ffprobe'): string {
  return runsOnPath(name) ? name : packagedBinary(name);
}

function runsOnPath(command: string): boolean {
  const result = spawnSync(command, ['-version'], { stdio: 'ignore', timeout: 10_000 });
  return result.error === undefined && result.status === 0;
}

function packagedBinary(name: 'ffmpeg' | 'ffprobe'): string {
  const pkg = name === 'ffmpeg' ? '@ffmpeg-installer/ffmpeg' : '@ffprobe-installer/ffprobe';
  try {
    const loaded = createRequire(import.meta.url)(pkg) as { path?: unknown };
    if (typeof loaded.path === 'string' && existsSync(loaded.path)) return loaded.path;
  } catch (error) {
    throw new PermanentError(`No ${name} on PATH and the ${pkg} package cannot provide one`, { cause: error });
  }
  throw new PermanentError(`No ${name} on PATH and the ${pkg} package has no binary`);
}
