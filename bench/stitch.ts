import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConcatClipsResult, concatClips } from '../core/src/media/concat.js';
import { presetOutputArgs } from '../core/src/media/encode-preset.js';
import { probe } from '../core/src/media/probe.js';
import { addInputArgs, addOutputArgs, createFfmpegCommand, runFfmpeg } from '../core/src/media/run-ffmpeg.js';

/**
 * Stitch: 12 × 5 s 720p clips made with Reelsmith's encode preset. Ours, as the stitch step runs
 * it (stream copy trimmed to the planned 60 s, with every clip's media facts taken from the step
 * outputs that recorded them, so nothing is probed), against the baseline, a full re-encode of the
 * same concatenation; plus the final duration error, and the same stitch when it probes every clip
 * first (what a stitch without recorded facts costs).
 */
const CLIPS = 12;
const CLIP_S = 5;
const FPS = 25;

async function makeClip(out: string, index: number): Promise<void> {
  const command = createFfmpegCommand();
  command.input(`testsrc2=size=1280x720:rate=${FPS}:duration=${CLIP_S}`);
  addInputArgs(command, ['-f', 'lavfi']);
  command.input(`sine=frequency=${300 + index * 40}:sample_rate=48000:duration=${CLIP_S}`);
  addInputArgs(command, ['-f', 'lavfi']);
  command.output(out);
  addOutputArgs(command, ['-t', String(CLIP_S), ...presetOutputArgs(FPS)]);
  await runFfmpeg(command, { task: `bench clip ${index}` });
}

async function fullReencode(clips: string[], out: string): Promise<void> {
  const command = createFfmpegCommand();
  for (const clip of clips) command.input(clip);
  const inputs = clips.map((_, i) => `[${i}:v][${i}:a]`).join('');
  command.output(out);
  addOutputArgs(command, [
    '-filter_complex',
    `${inputs}concat=n=${clips.length}:v=1:a=1[v][a]`,
    '-map',
    '[v]',
    '-map',
    '[a]',
    ...presetOutputArgs(FPS),
  ]);
  await runFfmpeg(command, { task: 'bench full re-encode' });
}

export async function benchStitch(): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'reelsmith-bench-'));
  try {
    const clips = Array.from({ length: CLIPS }, (_, i) => join(dir, `clip_${i}.mp4`));
    for (const [i, clip] of clips.entries()) await makeClip(clip, i);
    const target = CLIPS * CLIP_S;

    // Median of 3 runs: a worker stitches with warm caches (fluent-ffmpeg probes ffmpeg's
    // capabilities once per process), so the first run alone would measure start-up, not stitching.
    const infos = await Promise.all(clips.map((clip) => probe(clip)));
    const runs: number[] = [];
    const probing: number[] = [];
    let result: ConcatClipsResult | undefined;
    for (let i = 0; i < 3; i++) {
      let begin = performance.now();
      result = await concatClips(clips, join(dir, 'ours.mp4'), { targetDurationS: target, infos, probeOutput: false });
      runs.push(performance.now() - begin);
      begin = performance.now();
      await concatClips(clips, join(dir, 'probed.mp4'), { targetDurationS: target });
      probing.push(performance.now() - begin);
    }
    const oursMs = runs.sort((a, b) => a - b)[1] ?? 0;
    const probingMs = probing.sort((a, b) => a - b)[1] ?? 0;
    const info = await probe(join(dir, 'ours.mp4'));

    const start = performance.now();
    await fullReencode(clips, join(dir, 'baseline.mp4'));
    const baselineMs = performance.now() - start;

    return [
      `stitch (${CLIPS} × ${CLIP_S} s 1280x720 clips, target ${target} s)`,
      `  ours (${result?.method}, median of 3)  ${oursMs.toFixed(0).padStart(6)} ms`,
      `  same, probing every clip  ${probingMs.toFixed(0).padStart(6)} ms`,
      `  full re-encode   ${baselineMs.toFixed(0).padStart(6)} ms`,
      `  speed-up re-encode/ours ${(baselineMs / oursMs).toFixed(1)}× (goal ≥ 30; probing every clip: ${(baselineMs / probingMs).toFixed(1)}×)`,
      `  computed duration ${result?.durationS.toFixed(3)} s vs measured ${info.durationS.toFixed(3)} s`,
      `  duration error ${Math.abs(info.durationS - target).toFixed(3)} s (goal ≤ 0.1; container ${info.durationS.toFixed(3)} s)`,
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
