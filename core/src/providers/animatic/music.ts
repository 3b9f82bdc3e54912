import { join } from 'node:path';
import { ENCODE_PRESET, presetAudioArgs } from '../../media/encode-preset.js';
import { escapeFilterValue } from '../../media/filter-escape.js';
import { addOutputArgs, createFfmpegCommand, runFfmpeg } from '../../media/run-ffmpeg.js';
import { writeAtomically } from '../../media/temp.js';
import type { GeneratedFile, GenerateMusicRequest, MusicProvider, ProviderCallContext } from '../types.js';
import { wouldCostUsd } from './cost.js';
import { chordForMood, musicBedExpression } from './music-score.js';
import { assertInRange } from './settings.js';

/** File name of the music bed in `ctx.workDir` (AAC in an MPEG-4 container: its length is sample-exact). */
export const MUSIC_FILE = 'animatic_music.m4a';
/** Tempo range accepted, beats per minute, and the longest bed one call renders, seconds. */
export const MIN_TEMPO_BPM = 30;
export const MAX_TEMPO_BPM = 300;
export const MAX_MUSIC_S = 600;
/** Rate the bed is synthesized at before resampling to the preset's: half the work, nothing audible lost. */
const SYNTH_RATE = 24_000;
const FADE_IN_S = 0.02;
const MAX_FADE_OUT_S = 1.5;

/**
 * The animatic music provider. `generateMusic` synthesizes `animatic_music.m4a` (AAC 48 kHz stereo,
 * exactly `durationS` long) in `ctx.workDir`: a kick on every beat of `tempoBpm` and a chord pad whose
 * quality follows `mood` (`chordForMood`), faded in and out at the ends (`musicBedExpression`). The
 * prompt is not rendered. Costs nothing; `wouldCostUsd` is the model's price for that output.
 * @throws UserError `animatic_invalid_request` for a duration or tempo out of range.
 */
export function createAnimaticMusicProvider(): MusicProvider {
  return { name: 'animatic', generateMusic };
}

async function generateMusic(req: GenerateMusicRequest, ctx: ProviderCallContext): Promise<GeneratedFile> {
  const { durationS, tempoBpm, model } = req;
  assertInRange('durationS', durationS, 0.1, MAX_MUSIC_S);
  assertInRange('tempoBpm', tempoBpm, MIN_TEMPO_BPM, MAX_TEMPO_BPM);
  const out = join(ctx.workDir, MUSIC_FILE);
  const expression = escapeFilterValue(musicBedExpression(tempoBpm, chordForMood(req.mood)));
  const fadeOutS = Math.min(MAX_FADE_OUT_S, durationS / 4);
  const { audioSampleRate } = ENCODE_PRESET;
  const graph = [
    `aevalsrc=${expression}:s=${SYNTH_RATE}:d=${durationS.toFixed(6)}`,
    `afade=t=in:d=${FADE_IN_S}`,
    `afade=t=out:st=${(durationS - fadeOutS).toFixed(6)}:d=${fadeOutS.toFixed(6)}`,
    `aresample=${audioSampleRate}`,
    `aformat=sample_fmts=fltp:sample_rates=${audioSampleRate}:channel_layouts=stereo`,
    `atrim=duration=${durationS.toFixed(6)}`,
  ].join(',');
  await writeAtomically(out, async ({ partial }) => {
    const command = createFfmpegCommand().complexFilter(`${graph}[music]`).output(partial);
    addOutputArgs(command, ['-map', '[music]', ...presetAudioArgs(), '-movflags', '+faststart']);
    await runFfmpeg(command, { signal: ctx.signal, task: `synthesize ${durationS} s of music at ${tempoBpm} bpm` });
  });
  return {
    path: out,
    provider: 'animatic',
    model: model.key,
    costUsd: 0,
    wouldCostUsd: wouldCostUsd(model, { seconds: durationS }),
    durationS,
  };
}
