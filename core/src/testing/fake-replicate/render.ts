import { join } from 'node:path';
import { presetOutputArgs } from '../../media/encode-preset.js';
import { imageToClip } from '../../media/image-to-clip.js';
import { probe, probeAudio } from '../../media/probe.js';
import { addOutputArgs, createFfmpegCommand, runFfmpeg } from '../../media/run-ffmpeg.js';
import { writeAtomically } from '../../media/temp.js';
import { roundToAllowedDuration } from '../../models/chunks.js';
import type { ModelSpec } from '../../models/types.js';
import { renderClipEmbeddings } from './clip.js';
import type { InputFileResolver } from './input-files.js';

/** What one prediction produced: its files (in output order) and the billable quantities. */
export interface RenderedOutput {
  files: string[];
  /** Seconds of output (probed), for video, music and lipsync. */
  seconds?: number;
  images?: number;
  /** A JSON output instead of files (embedding models: one `{ input, embedding }` per input line). */
  json?: unknown;
}

interface RenderContext {
  spec: ModelSpec;
  input: Record<string, unknown>;
  outDir: string;
  files: InputFileResolver;
  signal: AbortSignal;
}

/**
 * Renders what `spec` would output for `input`, as real media made with ffmpeg: videos last the
 * model's real chunk length (an allowed duration rounded from the `duration` input, else
 * `actualChunkDurationS`) at its width×height and fps, starting on the first-frame image when one
 * is given (a test pattern otherwise); images are PNGs at the model's size (as many as the count
 * input asks, within `maxOutputs`; the reference image, when given, fills them); music is an mp3
 * of the asked duration; lipsync is the input video with the input audio muxed in (the shorter wins);
 * an embedding model answers JSON vectors (`renderClipEmbeddings`).
 */
export async function renderOutputs(context: RenderContext): Promise<RenderedOutput> {
  switch (context.spec.kind) {
    case 'video':
      return renderVideo(context);
    case 'image':
      return renderImages(context);
    case 'music':
      return renderMusic(context);
    case 'lipsync':
      return renderLipsync(context);
    case 'embedding':
      return {
        files: [],
        json: await renderClipEmbeddings(context.spec, context.input, context.files, context.signal),
      };
  }
}

function frameOf(spec: ModelSpec) {
  return { width: spec.width ?? 640, height: spec.height ?? 360, fps: spec.fps ?? 24 };
}

/** The seconds a video model really outputs for `input`. */
export function videoOutputDurationS(spec: ModelSpec, input: Record<string, unknown>): number {
  if (spec.allowedDurationsS && spec.allowedDurationsS.length > 0) {
    const asked = spec.params.duration ? Number(input[spec.params.duration]) : Number.NaN;
    const fallback = spec.defaultDurationS ?? (spec.allowedDurationsS[0] as number);
    return roundToAllowedDuration(spec, Number.isFinite(asked) ? asked : fallback);
  }
  return spec.actualChunkDurationS ?? 5;
}

async function renderVideo({ spec, input, outDir, files, signal }: RenderContext): Promise<RenderedOutput> {
  const frame = frameOf(spec);
  const durationS = videoOutputDurationS(spec, input);
  const image = spec.params.firstFrame ? await files.resolve(input[spec.params.firstFrame], signal) : undefined;
  const out = join(outDir, '0.mp4');
  if (image) {
    await imageToClip(image, out, { ...frame, durationS, camera: 'static', signal });
  } else {
    const frames = Math.max(1, Math.round(durationS * frame.fps));
    await writeAtomically(out, async ({ partial }) => {
      const command = createFfmpegCommand()
        .input(`testsrc2=size=${frame.width}x${frame.height}:rate=${frame.fps}`)
        .inputFormat('lavfi')
        .input('anullsrc=r=48000:cl=stereo')
        .inputFormat('lavfi')
        .output(partial);
      addOutputArgs(command, ['-map', '0:v:0', '-map', '1:a:0', '-frames:v', String(frames)]);
      addOutputArgs(command, ['-t', (frames / frame.fps).toFixed(6), ...presetOutputArgs(frame.fps)]);
      await runFfmpeg(command, { signal, task: `render a ${durationS} s test clip` });
    });
  }
  const info = await probe(out, { signal });
  return { files: [out], seconds: info.videoDurationS };
}

async function renderImages({ spec, input, outDir, files, signal }: RenderContext): Promise<RenderedOutput> {
  const { width, height } = frameOf(spec);
  const asked = spec.params.count ? Number(input[spec.params.count] ?? 1) : 1;
  const count = Math.min(Math.max(1, Number.isFinite(asked) ? Math.floor(asked) : 1), spec.maxOutputs ?? 1);
  const reference = spec.params.reference ? await files.resolve(input[spec.params.reference], signal) : undefined;
  const outputs: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const out = join(outDir, `${index}.png`);
    await writeAtomically(out, async ({ partial }) => {
      const command = createFfmpegCommand();
      if (reference) command.input(reference);
      else command.input(`testsrc2=size=${width}x${height}:rate=1`).inputFormat('lavfi');
      const fill = `scale=${width}:${height}:force_original_aspect_ratio=increase,crop=${width}:${height}`;
      command.videoFilters(`${fill},hue=h=${index * 90},format=rgb24`).output(partial);
      addOutputArgs(command, ['-frames:v', '1', '-update', '1']);
      await runFfmpeg(command, { signal, task: `render image ${index}` });
    });
    outputs.push(out);
  }
  return { files: outputs, images: outputs.length };
}

async function renderMusic({ spec, input, outDir, signal }: RenderContext): Promise<RenderedOutput> {
  const asked = spec.params.duration ? Number(input[spec.params.duration]) : Number.NaN;
  const wanted = Number.isFinite(asked) && asked > 0 ? asked : (spec.defaultDurationS ?? 8);
  const durationS = Math.min(wanted, spec.maxDurationS ?? Number.POSITIVE_INFINITY);
  const out = join(outDir, '0.mp3');
  await writeAtomically(out, async ({ partial }) => {
    const command = createFfmpegCommand()
      .input(`sine=frequency=330:sample_rate=44100:duration=${durationS}`)
      .inputFormat('lavfi')
      .output(partial);
    addOutputArgs(command, ['-c:a', 'libmp3lame', '-b:a', '128k', '-ac', '2']);
    await runFfmpeg(command, { signal, task: `render ${durationS} s of music` });
  });
  const info = await probeAudio(out, { signal });
  return { files: [out], seconds: info.durationS };
}

async function renderLipsync({ spec, input, outDir, files, signal }: RenderContext): Promise<RenderedOutput> {
  const video = spec.params.video ? await files.resolve(input[spec.params.video], signal) : undefined;
  const audio = spec.params.audio ? await files.resolve(input[spec.params.audio], signal) : undefined;
  if (!video || !audio) throw new Error('lipsync needs a video and an audio input');
  const out = join(outDir, '0.mp4');
  await writeAtomically(out, async ({ partial }) => {
    const command = createFfmpegCommand().input(video).input(audio).output(partial);
    addOutputArgs(command, ['-map', '0:v:0', '-map', '1:a:0', '-c:v', 'copy', '-c:a', 'aac', '-b:a', '128k']);
    addOutputArgs(command, ['-shortest', '-movflags', '+faststart']);
    await runFfmpeg(command, { signal, task: 'mux the lipsync audio' });
  });
  const info = await probe(out, { signal });
  return { files: [out], seconds: info.durationS };
}
