import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { presetOutputArgs } from './encode-preset.js';
import { assertPositiveDuration, audioTrackFilter, frameFilter, seconds, silenceSource } from './frame-filters.js';
import type { MediaInfo } from './probe.js';
import { probe } from './probe.js';
import { addInputArgs, addOutputArgs, createFfmpegCommand, runFfmpeg } from './run-ffmpeg.js';
import { writeAtomically } from './temp.js';

/** Options of `concatClips`. */
export interface ConcatClipsOptions {
  /** Cut the result to this many seconds (within ±0.1 s); a shorter total is left as it is, never padded. */
  targetDurationS?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** How the clips were joined and how long the result is (seconds, measured on the output). */
export interface ConcatClipsResult {
  method: 'copy' | 'reencode';
  durationS: number;
}

/**
 * Joins `clips` in order into `out`. When every clip shares its codec parameters (video codec, profile,
 * level, size, fps, pixel format, audio presence, codec, sample rate and channels) the streams are copied
 * (concat demuxer); otherwise one re-encode with the shared preset brings every clip to the first clip's
 * size and fps (letterboxed) and gives silence to clips without audio. Every clip is probed first, so a
 * missing or corrupt clip fails before anything is written.
 * @throws UserError `media_not_found` / `media_invalid` naming the bad clip, `media_invalid_options` for an
 *   empty list or a bad target; PermanentError when ffmpeg fails.
 */
export async function concatClips(
  clips: readonly string[],
  out: string,
  options: ConcatClipsOptions = {},
): Promise<ConcatClipsResult> {
  const { signal, targetDurationS } = options;
  if (clips.length === 0) throw new UserError('media_invalid_options', 'concatClips needs at least one clip');
  if (targetDurationS !== undefined) assertPositiveDuration('targetDurationS', targetDurationS);
  const infos: MediaInfo[] = [];
  for (const clip of clips) infos.push(await probe(clip, { signal }));
  const method = canStreamCopy(infos) ? 'copy' : 'reencode';
  const trimArgs = targetDurationS === undefined ? [] : ['-t', seconds(targetDurationS)];
  const task = `concatenate ${clips.length} clips into ${out}`;
  await writeAtomically(out, async ({ partial, scratch }) => {
    const command =
      method === 'copy'
        ? await copyCommand(clips, partial, scratch, infos[0]?.hasAudio ?? false)
        : reencodeCommand(clips, infos, partial);
    addOutputArgs(command, trimArgs);
    await runFfmpeg(command, { signal, task });
  });
  const result = await probe(out, { signal });
  return { method, durationS: result.durationS };
}

/** True when `clips` can be joined without re-encoding: every codec parameter matches the first clip's. */
export function canStreamCopy(clips: readonly MediaInfo[]): boolean {
  const [first, ...rest] = clips;
  if (!first) return false;
  const key = copyKey(first);
  return rest.every((clip) => copyKey(clip) === key && Math.abs(clip.fps - first.fps) < 0.01);
}

function copyKey(info: MediaInfo): string {
  return JSON.stringify([
    info.videoCodec,
    info.videoProfile ?? '',
    info.videoLevel ?? 0,
    info.width,
    info.height,
    info.pixelFormat,
    info.hasAudio,
    info.audioCodec ?? '',
    info.audioSampleRate ?? 0,
    info.audioChannels ?? 0,
  ]);
}

async function copyCommand(clips: readonly string[], partial: string, scratch: string, withAudio: boolean) {
  const list = join(scratch, 'clips.txt');
  const lines = clips.map((clip) => `file '${resolve(clip).replaceAll("'", "'\\''")}'`);
  await writeFile(list, `ffconcat version 1.0\n${lines.join('\n')}\n`);
  const command = createFfmpegCommand().input(list);
  addInputArgs(command, ['-f', 'concat', '-safe', '0']);
  command.output(partial);
  return addOutputArgs(command, [
    ...['-map', '0:v:0', ...(withAudio ? ['-map', '0:a:0'] : [])],
    ...['-c', 'copy', '-movflags', '+faststart'],
  ]);
}

function reencodeCommand(clips: readonly string[], infos: readonly MediaInfo[], partial: string) {
  const first = infos[0] as MediaInfo;
  const spec = { width: even(first.width), height: even(first.height), fps: first.fps > 0 ? first.fps : 25 };
  const command = createFfmpegCommand();
  const parts: string[] = [];
  const pairs: string[] = [];
  clips.forEach((clip, i) => {
    const info = infos[i] as MediaInfo;
    command.input(clip);
    parts.push(`[${i}:v:0]${frameFilter(spec)}[v${i}]`);
    parts.push(
      info.hasAudio
        ? `[${i}:a:0]${audioTrackFilter(info.videoDurationS)}[a${i}]`
        : `${silenceSource(info.videoDurationS)}[a${i}]`,
    );
    pairs.push(`[v${i}][a${i}]`);
  });
  parts.push(`${pairs.join('')}concat=n=${clips.length}:v=1:a=1[v][a]`);
  command.complexFilter(parts.join(';')).output(partial);
  return addOutputArgs(command, ['-map', '[v]', '-map', '[a]', ...presetOutputArgs(spec.fps)]);
}

function even(value: number): number {
  return Math.max(2, Math.round(value / 2) * 2);
}
