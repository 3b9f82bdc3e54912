import { stat } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { mediaBinaries } from './binaries.js';
import { runFfprobe } from './run-ffprobe.js';

/** What a video (or still image) file holds. Durations in seconds, sizes in pixels, fps in frames per second. */
export interface MediaInfo {
  /** Container duration (the longest stream); 0 for a still image. */
  durationS: number;
  /** The video stream's own length (from its first frame); equals `durationS` when the stream does not say. */
  videoDurationS: number;
  /** When the video stream's first frame is shown (0 for clips made by the preset). */
  videoStartS: number;
  width: number;
  height: number;
  /** Average frame rate, else the nominal one; 0 for a still image. */
  fps: number;
  /** ffprobe codec name: 'h264', 'hevc', 'png', … */
  videoCodec: string;
  videoProfile?: string;
  /** Codec level as ffprobe reports it (H.264 level 3.1 → 31). */
  videoLevel?: number;
  pixelFormat: string;
  /**
   * Frames the decoder holds back to reorder B-frames (ffprobe `has_b_frames`): 0 for the preset's clips,
   * which have no B-frames, so a stream copy can be cut at any frame.
   */
  reorderFrames: number;
  /** Frames in the video stream when the container records it. */
  frameCount?: number;
  hasAudio: boolean;
  audioCodec?: string;
  /** ffprobe's audio profile ('LC' for the preset's AAC). */
  audioProfile?: string;
  /** The audio stream's own length, encoder priming excluded. */
  audioDurationS?: number;
  audioSampleRate?: number;
  audioChannels?: number;
}

/** What an audio (or audio-carrying video) file's first audio stream holds. */
export interface AudioInfo {
  durationS: number;
  codec: string;
  sampleRate: number;
  channels: number;
}

/** Options shared by the probes. */
export interface ProbeOptions {
  signal?: AbortSignal | undefined;
}

type FfprobeStream = Record<string, unknown> & { codec_type?: string; disposition?: Record<string, number> };
type FfprobeJson = { streams?: FfprobeStream[]; format?: Record<string, unknown> };

/**
 * Reads a video's (or image's) streams with ffprobe.
 * @throws UserError `media_not_found` when the file does not exist; `media_invalid` when it is not a
 *   readable media file or has no video stream (both messages name the file).
 */
export async function probe(file: string, options: ProbeOptions = {}): Promise<MediaInfo> {
  const json = await readStreams(file, options.signal);
  const video = json.streams?.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  if (!video) throw new UserError('media_invalid', `${file} has no video stream`, { details: { file } });
  const audio = json.streams?.find((s) => s.codec_type === 'audio');
  const durationS = num(json.format?.duration) ?? num(video.duration) ?? 0;
  const frameCount = num(video.nb_frames);
  const info: MediaInfo = {
    durationS,
    videoDurationS: num(video.duration) ?? durationS,
    videoStartS: num(video.start_time) ?? 0,
    width: num(video.width) ?? 0,
    height: num(video.height) ?? 0,
    fps: rate(video.avg_frame_rate) ?? rate(video.r_frame_rate) ?? 0,
    videoCodec: str(video.codec_name) ?? 'unknown',
    pixelFormat: str(video.pix_fmt) ?? 'unknown',
    reorderFrames: num(video.has_b_frames) ?? 0,
    hasAudio: audio !== undefined,
  };
  if (str(video.profile)) info.videoProfile = str(video.profile);
  const level = num(video.level);
  if (level !== undefined && level > 0) info.videoLevel = level;
  if (frameCount !== undefined) info.frameCount = frameCount;
  if (audio) {
    info.audioCodec = str(audio.codec_name) ?? 'unknown';
    const profile = str(audio.profile);
    if (profile) info.audioProfile = profile;
    const audioDurationS = num(audio.duration);
    if (audioDurationS !== undefined) info.audioDurationS = audioDurationS;
    info.audioSampleRate = num(audio.sample_rate) ?? 0;
    info.audioChannels = num(audio.channels) ?? 0;
  }
  return info;
}

/**
 * Reads the first audio stream of a file (music, a voice track, or a video's sound).
 * @throws UserError `media_not_found` / `media_invalid` (also when there is no audio stream), naming the file.
 */
export async function probeAudio(file: string, options: ProbeOptions = {}): Promise<AudioInfo> {
  const json = await readStreams(file, options.signal);
  const audio = json.streams?.find((s) => s.codec_type === 'audio');
  if (!audio) throw new UserError('media_invalid', `${file} has no audio stream`, { details: { file } });
  return {
    durationS: num(audio.duration) ?? num(json.format?.duration) ?? 0,
    codec: str(audio.codec_name) ?? 'unknown',
    sampleRate: num(audio.sample_rate) ?? 0,
    channels: num(audio.channels) ?? 0,
  };
}

/** One packet of a video stream, in decode order; times in seconds on the file's own timeline. */
export interface VideoPacket {
  ptsS: number;
  dtsS: number;
  /** Display duration; undefined when the container does not record it. */
  durationS: number | undefined;
}

/**
 * Lists the packets of `file`'s first video stream in decode order (no decoding). A packet without a
 * decode time takes its presentation time.
 * @throws UserError `media_not_found` / `media_invalid` naming the file.
 */
export async function probeVideoPackets(file: string, options: ProbeOptions = {}): Promise<VideoPacket[]> {
  await assertFile(file);
  const args = ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,dts_time,duration_time'];
  const result = await runFfprobe(mediaBinaries().ffprobe, [...args, '-print_format', 'json', file], options.signal);
  if (result.code !== 0) {
    const reason = result.stderr.trim().split('\n').pop() ?? 'unreadable';
    throw new UserError('media_invalid', `Cannot read the packets of ${file} (${reason})`, { details: { file } });
  }
  const json = JSON.parse(result.stdout) as { packets?: Record<string, unknown>[] };
  const packets: VideoPacket[] = [];
  for (const packet of json.packets ?? []) {
    const ptsS = num(packet.pts_time) ?? num(packet.dts_time);
    if (ptsS === undefined) continue;
    packets.push({ ptsS, dtsS: num(packet.dts_time) ?? ptsS, durationS: num(packet.duration_time) });
  }
  return packets;
}

async function readStreams(file: string, signal: AbortSignal | undefined): Promise<FfprobeJson> {
  await assertFile(file);
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file];
  const result = await runFfprobe(mediaBinaries().ffprobe, args, signal);
  if (result.code !== 0) {
    const reason = result.stderr.trim().split('\n').pop() ?? 'unreadable';
    throw new UserError('media_invalid', `${file} is not a readable media file (${reason})`, { details: { file } });
  }
  return JSON.parse(result.stdout) as FfprobeJson;
}

async function assertFile(file: string): Promise<void> {
  const stats = await stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') {
      throw new UserError('media_not_found', `Media file not found: ${file}`, { cause: error, details: { file } });
    }
    throw new UserError('media_invalid', `Cannot read media file ${file}: ${error.message}`, { cause: error });
  });
  if (!stats.isFile()) throw new UserError('media_invalid', `${file} is not a file`, { details: { file } });
}

function num(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number.parseFloat(value) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function rate(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const [n, d] = value.split('/').map(Number);
  if (n === undefined || d === undefined || !Number.isFinite(n) || !Number.isFinite(d) || n <= 0 || d <= 0) {
    return undefined;
  }
  return Math.round((n / d) * 1000) / 1000;
}
