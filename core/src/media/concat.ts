import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { presetAudioArgs, presetOutputArgs } from './encode-preset.js';
import {
  assertPositiveDuration,
  audioSamplesFilter,
  exactFramesFilter,
  frameFilter,
  sampleSpans,
  seconds,
  silenceSamplesSource,
} from './frame-filters.js';
import type { MediaInfo, VideoPacket } from './probe.js';
import { probe, probeVideoPackets } from './probe.js';
import { addInputArgs, addOutputArgs, createFfmpegCommand, runFfmpeg } from './run-ffmpeg.js';
import { writeAtomically } from './temp.js';

/** Options of `concatClips`. */
export interface ConcatClipsOptions {
  /**
   * Cut the result to round(targetDurationS × fps) frames (fps of the first clip); a shorter total is
   * left as it is, never padded.
   */
  targetDurationS?: number | undefined;
  signal?: AbortSignal | undefined;
  /**
   * The clips' media facts, in order, when the caller already has them (steps record them): no clip
   * is probed. Without them every clip is probed first, so a missing or corrupt clip fails before
   * anything is written.
   */
  infos?: readonly MediaInfo[] | undefined;
  /**
   * Probe the result for its media facts (default true). False: `durationS` is computed from the
   * joined frames (exact for the frame-exact cuts made here) and `media` is absent.
   */
  probeOutput?: boolean | undefined;
}

/** How the clips were joined and how long the result is (seconds). */
export interface ConcatClipsResult {
  /** 'copy': the video stream was copied (see `concatClips` for the audio); 'reencode': both re-encoded. */
  method: 'copy' | 'reencode';
  /** Measured on the output, or computed from the joined frames when `probeOutput` is false. */
  durationS: number;
  /** The output's media facts, when it was probed. */
  media?: MediaInfo;
}

/** Below this, a video start time counts as 0 (ffprobe prints microseconds). */
const TIME_EPSILON_S = 0.0005;
/** Samples per AAC-LC packet. */
const AAC_FRAME_SAMPLES = 1024;
/** ffprobe runs at once while probing the clips (each costs ~80 ms, mostly process start-up). */
const PROBE_CONCURRENCY = 4;

/**
 * Joins `clips` in order into `out`. The result's audio never outlasts its video, and every clip's sound
 * stays under its own pictures however many clips are joined (no drift across joins).
 *
 * When every clip shares its codec parameters (video codec, profile, level, size, fps, pixel format,
 * B-frame reordering, audio presence, codec, profile, sample rate and channels) both streams are
 * copied, in one ffmpeg run reading two concat lists:
 * - video: each clip starts exactly where the previous clip's video stream ends (a `duration` per file
 *   equal to its video stream, not the container, which the audio may stretch); a target is cut with an
 *   `outpoint` after exactly round(target × fps) frames. Exact for clips without B-frames (all the
 *   preset's clips); with B-frames the cut lands on the nearest frame where the decode order is complete.
 * - audio: AAC comes in 1024-sample packets and every clip's track starts with an encoder-priming packet,
 *   so copied packets cannot end exactly at each video join. Each clip therefore gives a whole number of
 *   packets chosen so that the packet boundary at every join is the one nearest the video join (the last
 *   one at or before the video's end), and later clips skip their priming packet (`inpoint 0`). The track
 *   is gapless, each clip's sound starts within half a packet (±10.7 ms at 48 kHz) of its pictures
 *   without accumulating, and the audio ends at most one packet (21.3 ms) before the video. The first
 *   1024 samples after each join mix the two clips' codec windows, as in any copied AAC join.
 *   When a clip's audio is too short to supply its share (or is not AAC-LC), the audio is instead
 *   rebuilt sample-exactly in the same run (each clip's sound padded with silence or cut to its video's
 *   length, one AAC encode: the video is still copied).
 *
 * Otherwise one re-encode with the shared preset brings every clip to the first clip's size and fps
 * (letterboxed), round(duration × fps) frames each, with its sound padded or cut to exactly that length
 * (silence for clips without audio), and cuts the target to exactly round(target × fps) frames.
 * Every clip is probed first (unless `options.infos` gives their facts), so a missing or corrupt clip fails before
 * anything is written.
 * @throws UserError `media_not_found` / `media_invalid` naming the bad clip, `media_invalid_options` for an
 *   empty list or a bad target; PermanentError when ffmpeg fails.
 */
export async function concatClips(
  clips: readonly string[],
  out: string,
  options: ConcatClipsOptions & { probeOutput: false },
): Promise<ConcatClipsResult>;
export async function concatClips(
  clips: readonly string[],
  out: string,
  options?: ConcatClipsOptions & { probeOutput?: true | undefined },
): Promise<ConcatClipsResult & { media: MediaInfo }>;
export async function concatClips(
  clips: readonly string[],
  out: string,
  options: ConcatClipsOptions = {},
): Promise<ConcatClipsResult> {
  const { signal, targetDurationS } = options;
  if (clips.length === 0) throw new UserError('media_invalid_options', 'concatClips needs at least one clip');
  if (targetDurationS !== undefined) assertPositiveDuration('targetDurationS', targetDurationS);
  if (options.infos && options.infos.length !== clips.length) {
    throw new UserError(
      'media_invalid_options',
      `concatClips got ${options.infos.length} infos for ${clips.length} clips`,
    );
  }
  const infos = options.infos ? [...options.infos] : await probeAll(clips, signal);
  const method = canStreamCopy(infos) ? 'copy' : 'reencode';
  const sources = clips.map((clip, i) => ({ clip, info: infos[i] as MediaInfo }));
  const task = `concatenate ${clips.length} clips into ${out}`;
  const parts = method === 'copy' ? await planCopy(sources, targetDurationS, signal) : [];
  await writeAtomically(out, async ({ partial, scratch }) => {
    const command =
      method === 'copy'
        ? await copyCommand(parts, partial, scratch)
        : reencodeCommand(sources, partial, targetDurationS);
    await runFfmpeg(command, { signal, task });
  });
  if (options.probeOutput === false) {
    const durationS =
      method === 'copy'
        ? parts.reduce((sum, part) => sum + part.lengthS, 0)
        : reencodedFrames(sources, targetDurationS) / frameRate(sources);
    return { method, durationS: Math.round(durationS * 1e6) / 1e6 };
  }
  const media = await probe(out, { signal });
  return { method, durationS: media.durationS, media };
}

/** True when `clips` can be joined without re-encoding: every codec parameter matches the first clip's. */
export function canStreamCopy(clips: readonly MediaInfo[]): boolean {
  const [first, ...rest] = clips;
  if (!first) return false;
  const key = copyKey(first);
  return rest.every((clip) => copyKey(clip) === key && Math.abs(clip.fps - first.fps) < 0.01);
}

/**
 * Where to cut a stream copy of a video whose packets are `packets` (decode order) so that it shows the
 * frames presented before `cutS`: the number of packets kept (a prefix in decode order, since a copy
 * can only drop the tail), the concat `outpoint` between the last kept and the first dropped decode
 * time (undefined when every packet is kept), and where the kept frames end. Without B-frames this is
 * exactly the frames before `cutS`; with B-frames it is the prefix closest to that whose frames are
 * consecutive in display order (no frame after the cut shown while an earlier one is missing).
 */
export function copyCutPoint(
  packets: readonly VideoPacket[],
  cutS: number,
): { frames: number; outpointS: number | undefined; endS: number } {
  const n = packets.length;
  const wanted = packets.filter((p) => p.ptsS < cutS).length;
  let frames = n;
  if (wanted < n) {
    const suffixMin: number[] = new Array(n + 1).fill(Number.POSITIVE_INFINITY);
    for (let i = n - 1; i >= 0; i--)
      suffixMin[i] = Math.min(suffixMin[i + 1] as number, (packets[i] as VideoPacket).ptsS);
    let prefixMax = Number.NEGATIVE_INFINITY;
    let best = n;
    for (let p = 1; p < n; p++) {
      prefixMax = Math.max(prefixMax, (packets[p - 1] as VideoPacket).ptsS);
      const clean = prefixMax < (suffixMin[p] as number);
      if (clean && Math.abs(p - wanted) < Math.abs(best - wanted)) best = p;
    }
    frames = best;
  }
  const kept = packets.slice(0, frames);
  const step = typicalFrameS(packets);
  const endS = Math.max(...kept.map((p) => p.ptsS + (p.durationS && p.durationS > 0 ? p.durationS : step)));
  const last = packets[frames - 1];
  const next = packets[frames];
  const outpointS = last && next ? (last.dtsS + next.dtsS) / 2 : undefined;
  return { frames, outpointS, endS };
}

function copyKey(info: MediaInfo): string {
  return JSON.stringify([
    info.videoCodec,
    info.videoProfile ?? '',
    info.videoLevel ?? 0,
    info.width,
    info.height,
    info.pixelFormat,
    info.reorderFrames,
    info.hasAudio,
    info.audioCodec ?? '',
    info.audioProfile ?? '',
    info.audioSampleRate ?? 0,
    info.audioChannels ?? 0,
  ]);
}

interface Source {
  clip: string;
  info: MediaInfo;
}

/** One file of a stream copy: where its video starts and stops on its own timeline, and how long it lasts. */
interface CopyPart extends Source {
  inpointS: number | undefined;
  outpointS: number | undefined;
  lengthS: number;
}

/**
 * The files of a stream copy up to the target's cut. Without B-frames the cut is computed from the frame
 * rate (the kept frames are those presented before it); with B-frames the cut file's packets are read.
 */
async function planCopy(
  sources: readonly Source[],
  targetDurationS: number | undefined,
  signal: AbortSignal | undefined,
): Promise<CopyPart[]> {
  const fps = frameRate(sources);
  const cutS = targetDurationS === undefined ? undefined : (targetFrames(targetDurationS, fps) - 0.5) / fps;
  const parts: CopyPart[] = [];
  let startS = 0;
  for (const source of sources) {
    const { videoStartS, videoDurationS, reorderFrames } = source.info;
    const inpointS = videoStartS > TIME_EPSILON_S ? videoStartS : undefined;
    if (cutS !== undefined && cutS < startS + videoDurationS) {
      const originS = inpointS ?? 0;
      const localCutS = cutS - startS + originS;
      const cut =
        reorderFrames > 0
          ? copyCutPoint(await probeVideoPackets(source.clip, { signal }), localCutS)
          : gridCutPoint(source.info, originS, localCutS, fps);
      parts.push({ ...source, inpointS, outpointS: cut.outpointS, lengthS: Math.max(0, cut.endS - originS) });
      break;
    }
    parts.push({ ...source, inpointS, outpointS: undefined, lengthS: videoDurationS });
    startS += videoDurationS;
  }
  return parts;
}

/**
 * `copyCutPoint` for a constant-rate video without B-frames whose frames start at `originS`: decode
 * times are presentation times, so the outpoint falls half a frame after the last kept frame.
 */
function gridCutPoint(info: MediaInfo, originS: number, cutS: number, fps: number) {
  const total = Math.max(1, info.frameCount ?? Math.round(info.videoDurationS * fps));
  const frames = Math.min(total, Math.max(1, Math.ceil((cutS - originS) * fps - 1e-6)));
  if (frames >= total) return { frames, outpointS: undefined, endS: originS + info.videoDurationS };
  return { frames, outpointS: originS + (frames - 0.5) / fps, endS: originS + frames / fps };
}

async function copyCommand(parts: readonly CopyPart[], partial: string, scratch: string) {
  const videoList = join(scratch, 'video.txt');
  const videoLines = parts.flatMap((part) => [
    fileLine(part.clip),
    `duration ${seconds(part.lengthS)}`,
    ...(part.inpointS === undefined ? [] : [`inpoint ${seconds(part.inpointS)}`]),
    ...(part.outpointS === undefined ? [] : [`outpoint ${seconds(part.outpointS)}`]),
  ]);
  await writeFile(videoList, concatScript(videoLines));
  const command = createFfmpegCommand().input(videoList);
  // -copyts: keep the demuxers' timestamps, which start at 0 (ffmpeg would otherwise shift everything by
  // the first clip's AAC priming, and the container would outlast the video).
  addInputArgs(command, ['-f', 'concat', '-safe', '0', '-copyts']);
  const args = ['-map', '0:v:0'];
  if (parts[0]?.info.hasAudio) {
    const packets = audioPackets(parts);
    if (packets) {
      const audioList = join(scratch, 'audio.txt');
      await writeFile(audioList, concatScript(audioLines(parts, packets)));
      command.input(audioList);
      addInputArgs(command, ['-f', 'concat', '-safe', '0']);
      args.push('-map', '1:a:0', '-c:a', 'copy');
    } else {
      const spans = sampleSpans(parts.map((part) => part.lengthS));
      const chains = parts.map((part, i) => {
        command.input(part.clip);
        return `[${i + 1}:a:0]${audioSamplesFilter(spans[i] as number)}[a${i}]`;
      });
      const labels = parts.map((_, i) => `[a${i}]`).join('');
      command.complexFilter(`${chains.join(';')};${labels}concat=n=${parts.length}:v=0:a=1[a]`);
      args.push('-map', '[a]', ...presetAudioArgs());
    }
  }
  command.output(partial);
  return addOutputArgs(command, [...args, '-c:v', 'copy', '-movflags', '+faststart']);
}

/**
 * How many AAC packets each part's audio gives to a copied track: boundaries rounded to the packet
 * nearest each video join (the last one rounded down, so the audio never outlasts the video).
 * Undefined when the audio cannot be copied that way: not AAC-LC, or a clip without the packets its
 * share needs (its sound shorter than its pictures).
 */
function audioPackets(parts: readonly CopyPart[]): number[] | undefined {
  const packetS = AAC_FRAME_SAMPLES / (parts[0]?.info.audioSampleRate ?? 0);
  if (!Number.isFinite(packetS)) return undefined;
  const counts: number[] = [];
  let endS = 0;
  let before = 0;
  for (const [i, part] of parts.entries()) {
    const { audioCodec, audioProfile, audioDurationS } = part.info;
    if (audioCodec !== 'aac' || audioProfile !== 'LC' || audioDurationS === undefined) return undefined;
    endS += part.lengthS;
    const boundary = i === parts.length - 1 ? Math.floor(endS / packetS + 1e-6) : Math.round(endS / packetS);
    const count = Math.max(0, boundary - before);
    if (count > Math.ceil(audioDurationS / packetS - 1e-6)) return undefined;
    counts.push(count);
    before += count;
  }
  return counts;
}

/** The audio concat list: `count` packets of each part, priming packets skipped after the first file. */
function audioLines(parts: readonly CopyPart[], counts: readonly number[]): string[] {
  const packetS = AAC_FRAME_SAMPLES / (parts[0]?.info.audioSampleRate as number);
  const lines: string[] = [];
  for (const [i, part] of parts.entries()) {
    const count = counts[i] as number;
    if (count === 0) continue;
    lines.push(fileLine(part.clip));
    if (lines.length > 1) lines.push('inpoint 0');
    lines.push(`duration ${seconds(count * packetS)}`, `outpoint ${seconds((count - 0.5) * packetS)}`);
  }
  return lines;
}

function fileLine(clip: string): string {
  return `file '${resolve(clip).replaceAll("'", "'\\''")}'`;
}

function concatScript(lines: readonly string[]): string {
  return `ffconcat version 1.0\n${lines.join('\n')}\n`;
}

/** Frames each clip gives a re-encode: its own length at the first clip's rate, cut at the target. */
function reencodeFrames(sources: readonly Source[], targetDurationS: number | undefined): number[] {
  const fps = frameRate(sources);
  const frames = sources.map((source) => Math.max(1, Math.round(source.info.videoDurationS * fps)));
  if (targetDurationS !== undefined) {
    let left = targetFrames(targetDurationS, fps);
    frames.forEach((count, i) => {
      frames[i] = Math.min(count, left);
      left -= frames[i] as number;
    });
  }
  return frames;
}

function reencodedFrames(sources: readonly Source[], targetDurationS: number | undefined): number {
  return reencodeFrames(sources, targetDurationS).reduce((sum, count) => sum + count, 0);
}

function reencodeCommand(sources: readonly Source[], partial: string, targetDurationS: number | undefined) {
  const first = (sources[0] as Source).info;
  const spec = { width: even(first.width), height: even(first.height), fps: frameRate(sources) };
  const frames = reencodeFrames(sources, targetDurationS);
  const used = sources.filter((_, i) => (frames[i] as number) > 0);
  const spans = sampleSpans(used.map((_, i) => (frames[i] as number) / spec.fps));
  const command = createFfmpegCommand();
  const parts: string[] = [];
  const pairs: string[] = [];
  used.forEach(({ clip, info }, i) => {
    command.input(clip);
    parts.push(`[${i}:v:0]${frameFilter(spec)},${exactFramesFilter(frames[i] as number)}[v${i}]`);
    const samples = spans[i] as number;
    parts.push(
      info.hasAudio ? `[${i}:a:0]${audioSamplesFilter(samples)}[a${i}]` : `${silenceSamplesSource(samples)}[a${i}]`,
    );
    pairs.push(`[v${i}][a${i}]`);
  });
  parts.push(`${pairs.join('')}concat=n=${used.length}:v=1:a=1[v][a]`);
  command.complexFilter(parts.join(';')).output(partial);
  return addOutputArgs(command, ['-map', '[v]', '-map', '[a]', ...presetOutputArgs(spec.fps)]);
}

/** Probes every clip (a few at a time); the first failing clip in list order is reported. */
async function probeAll(clips: readonly string[], signal: AbortSignal | undefined): Promise<MediaInfo[]> {
  const settled: PromiseSettledResult<MediaInfo>[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < clips.length) {
      const i = next++;
      settled[i] = await probe(clips[i] as string, { signal }).then(
        (value) => ({ status: 'fulfilled', value }) as const,
        (reason: unknown) => ({ status: 'rejected', reason }) as const,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(PROBE_CONCURRENCY, clips.length) }, worker));
  return settled.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
}

/** The first clip's frame rate (25 when it has none, e.g. a still image). */
function frameRate(sources: readonly Source[]): number {
  const fps = sources[0]?.info.fps ?? 0;
  return fps > 0 ? fps : 25;
}

function targetFrames(targetDurationS: number, fps: number): number {
  return Math.max(1, Math.round(targetDurationS * fps));
}

/** The most common packet duration (for packets whose duration the container leaves out). */
function typicalFrameS(packets: readonly VideoPacket[]): number {
  const durations = packets.map((p) => p.durationS).filter((d): d is number => d !== undefined && d > 0);
  if (durations.length === 0) return 0;
  return durations.sort((a, b) => a - b)[Math.floor(durations.length / 2)] as number;
}

function even(value: number): number {
  return Math.max(2, Math.round(value / 2) * 2);
}
