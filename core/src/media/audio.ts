import { extname } from 'node:path';
import { UserError } from '../errors.js';
import { ENCODE_PRESET, presetAudioArgs } from './encode-preset.js';
import { assertPositiveDuration, seconds } from './frame-filters.js';
import { probe, probeAudio } from './probe.js';
import { addInputArgs, addOutputArgs, createFfmpegCommand, runFfmpeg } from './run-ffmpeg.js';
import { writeAtomically } from './temp.js';

/** Options of `trimAudio`: the kept range in seconds from the start of the input, `0 <= startS < endS`. */
export interface TrimAudioOptions {
  startS: number;
  endS: number;
  signal?: AbortSignal | undefined;
}

/** Options of `fitMusic`. */
export interface FitMusicOptions {
  /** Exact length of the result in seconds (±0.05 s). */
  durationS: number;
  /** Length of the fade to silence at the end, seconds; default 2, at most half the duration; 0 for none. */
  fadeOutS?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** Options of `mixMusic`. */
export interface MixMusicOptions {
  /** Gain applied to the music, 0–1 (default 0.7); the video's own audio keeps its level. */
  volume?: number | undefined;
  signal?: AbortSignal | undefined;
}

const DEFAULT_FADE_OUT_S = 2;

/**
 * Writes the `[startS, endS)` range of `audio` to `out` (re-encoded, sample-accurate; 48 kHz stereo; codec
 * from `out`'s extension: .mp3 → MP3, .wav → PCM, else AAC). An `endS` past the end stops at the end.
 * @throws UserError `media_not_found` / `media_invalid` naming `audio`, `media_invalid_options` for a bad range.
 */
export async function trimAudio(audio: string, out: string, options: TrimAudioOptions): Promise<void> {
  const { startS, endS, signal } = options;
  if (!Number.isFinite(startS) || !Number.isFinite(endS) || startS < 0 || endS <= startS) {
    throw new UserError('media_invalid_options', `Audio range must satisfy 0 <= start < end, got ${startS}–${endS} s`);
  }
  const info = await probeAudio(audio, { signal });
  if (startS >= info.durationS) {
    throw new UserError(
      'media_invalid_options',
      `Audio range starts at ${startS} s but ${audio} lasts ${info.durationS.toFixed(2)} s`,
    );
  }
  const filter = `atrim=start=${seconds(startS)}:end=${seconds(endS)},asetpts=PTS-STARTPTS`;
  await writeAtomically(out, async ({ partial }) => {
    const command = createFfmpegCommand().input(audio).output(partial);
    addOutputArgs(command, ['-vn', '-sn', '-af', filter, ...audioCodecArgs(out)]);
    await runFfmpeg(command, { signal, task: `trim ${audio}` });
  });
}

/**
 * Writes `music` fitted to exactly `durationS` seconds into `out`: cropped when longer, looped when
 * shorter, faded out over the last `fadeOutS` seconds (codec from the extension, as `trimAudio`).
 * @throws UserError `media_not_found` / `media_invalid` naming `music`, `media_invalid_options`.
 */
export async function fitMusic(music: string, out: string, options: FitMusicOptions): Promise<void> {
  const { durationS, signal } = options;
  assertPositiveDuration('durationS', durationS);
  const info = await probeAudio(music, { signal });
  const fadeS = Math.min(Math.max(0, options.fadeOutS ?? DEFAULT_FADE_OUT_S), durationS / 2);
  const filters = [`atrim=duration=${seconds(durationS)}`, 'asetpts=PTS-STARTPTS'];
  if (fadeS > 0) filters.push(`afade=t=out:st=${seconds(durationS - fadeS)}:d=${seconds(fadeS)}`);
  await writeAtomically(out, async ({ partial }) => {
    const command = createFfmpegCommand().input(music);
    if (info.durationS < durationS) addInputArgs(command, ['-stream_loop', '-1']);
    command.output(partial);
    addOutputArgs(command, ['-vn', '-sn', '-af', filters.join(','), ...audioCodecArgs(out)]);
    await runFfmpeg(command, { signal, task: `fit ${music} to ${durationS} s` });
  });
}

/**
 * Lays `music` under `video`'s audio into `out` (MP4): the video stream is copied, the music is scaled by
 * `volume` and summed with the existing audio at its own level (amix), or is the only audio when the
 * video has none. Music shorter than the video ends in silence; the audio is cut to end exactly where the
 * video stream ends, so the result lasts as long as the video stream (longer music never extends it).
 * @throws UserError `media_not_found` / `media_invalid` naming the bad input, `media_invalid_options`.
 */
export async function mixMusic(
  video: string,
  music: string,
  out: string,
  options: MixMusicOptions = {},
): Promise<void> {
  const { signal } = options;
  const volume = options.volume ?? 0.7;
  if (!Number.isFinite(volume) || volume < 0) {
    throw new UserError('media_invalid_options', `volume must be a number >= 0, got ${volume}`);
  }
  const info = await probe(video, { signal });
  await probeAudio(music, { signal });
  // The audio ends where the video does, so the container lasts as long as the video stream.
  const lengthS = seconds(info.videoStartS + info.videoDurationS);
  const format = `aresample=${ENCODE_PRESET.audioSampleRate},aformat=sample_fmts=fltp:channel_layouts=stereo`;
  const musicChain = `[1:a:0]${format},volume=${volume},apad`;
  const graph = info.hasAudio
    ? `${musicChain}[m];[0:a:0]${format},apad[va];[va][m]amix=inputs=2:duration=first:dropout_transition=0,volume=2,atrim=duration=${lengthS}[a]`
    : `${musicChain},atrim=duration=${lengthS}[a]`;
  await writeAtomically(out, async ({ partial }) => {
    const command = createFfmpegCommand().input(video).input(music).complexFilter(graph).output(partial);
    addOutputArgs(command, [
      ...['-map', '0:v:0', '-map', '[a]', '-c:v', 'copy', ...presetAudioArgs(), '-movflags', '+faststart'],
    ]);
    await runFfmpeg(command, { signal, task: `mix ${music} under ${video}` });
  });
}

function audioCodecArgs(out: string): string[] {
  const { audioSampleRate, audioChannels, audioBitrate } = ENCODE_PRESET;
  const layout = ['-ar', String(audioSampleRate), '-ac', String(audioChannels)];
  switch (extname(out).toLowerCase()) {
    case '.mp3':
      return ['-c:a', 'libmp3lame', '-b:a', '192k', ...layout];
    case '.wav':
      return ['-c:a', 'pcm_s16le', ...layout];
    default:
      return ['-c:a', 'aac', '-b:a', audioBitrate, ...layout];
  }
}
