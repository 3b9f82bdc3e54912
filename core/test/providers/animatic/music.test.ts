import { afterAll, describe, expect, it } from 'vitest';
import { probeAudio } from '../../../src/media/probe.js';
import { chordForMood, createAnimaticProviders } from '../../../src/providers/animatic/index.js';
import type { GenerateMusicRequest } from '../../../src/providers/types.js';
import { meanVolumeDb } from '../../media/fixtures.js';
import {
  callContext,
  entries,
  kickOnsets,
  makeCallDirs,
  maxVolumeDb,
  median,
  modelSpec,
  toneAmplitude,
} from './fixtures.js';

const dirs = makeCallDirs();
afterAll(() => dirs.remove());

const { music } = createAnimaticProviders();
const musicgen = modelSpec({ key: 'musicgen-test', kind: 'music', cost: { unit: 'second', usd: 0.002 } });

async function bed(request: Partial<GenerateMusicRequest>, label = 'music') {
  const full = { model: musicgen, prompt: 'warm synth bed', durationS: 5, tempoBpm: 120, mood: 'happy', ...request };
  return music.generateMusic(full, callContext(dirs.next(label)));
}

describe('animatic music', () => {
  it('lasts exactly the asked duration, is audible and never clips', async () => {
    const file = await bed({ durationS: 7.37 });
    expect(file).toMatchObject({ provider: 'animatic', model: 'musicgen-test', costUsd: 0, durationS: 7.37 });
    expect(file.wouldCostUsd).toBeCloseTo(0.01474, 6);
    expect(file.path.endsWith('/animatic_music.m4a')).toBe(true);
    const info = await probeAudio(file.path);
    expect(info).toMatchObject({ codec: 'aac', sampleRate: 48000, channels: 2 });
    expect(Math.abs(info.durationS - 7.37)).toBeLessThan(0.05);
    expect(meanVolumeDb(file.path)).toBeGreaterThan(-30);
    expect(maxVolumeDb(file.path)).toBeLessThan(-0.5);
  });

  it.each([120, 90])('puts a kick on every beat at %d bpm', async (tempoBpm) => {
    const file = await bed({ tempoBpm }, `tempo-${tempoBpm}`);
    const onsets = kickOnsets(file.path);
    const beatS = 60 / tempoBpm;
    const intervals = onsets.slice(1).map((t, i) => t - (onsets[i] ?? 0));
    expect(Math.abs(median(intervals) - beatS)).toBeLessThan(0.02);
    expect(onsets.length).toBeGreaterThanOrEqual(Math.floor((5 - 1.25) / beatS));
    expect(Math.min(...intervals)).toBeGreaterThan(beatS * 0.8);
    expect(onsets[0]).toBeLessThan(0.05);
  });

  it('plays a major chord for a happy mood and a minor one for a dark mood', async () => {
    expect(chordForMood('Happy, uplifting')).toBe('major');
    expect(chordForMood('energetic')).toBe('major');
    expect(chordForMood('dark and mysterious')).toBe('minor');
    expect(chordForMood('melancholic')).toBe('minor');
    expect(chordForMood('dreamy calm')).toBe('major7');
    expect(chordForMood('epic')).toBe('sus2');
    const majorThirdHz = 220 * 2 ** (4 / 12);
    const minorThirdHz = 220 * 2 ** (3 / 12);
    const happy = await bed({ mood: 'happy', durationS: 2 }, 'happy');
    const dark = await bed({ mood: 'dark', durationS: 2 }, 'dark');
    expect(toneAmplitude(happy.path, majorThirdHz, 0.25, 1.5)).toBeGreaterThan(0.02);
    expect(toneAmplitude(happy.path, majorThirdHz, 0.25, 1.5)).toBeGreaterThan(
      5 * toneAmplitude(happy.path, minorThirdHz, 0.25, 1.5),
    );
    expect(toneAmplitude(dark.path, minorThirdHz, 0.25, 1.5)).toBeGreaterThan(
      5 * toneAmplitude(dark.path, majorThirdHz, 0.25, 1.5),
    );
  });

  it('refuses a tempo or duration out of range, writing nothing', async () => {
    const dir = dirs.next('refused');
    const request = { model: musicgen, prompt: 'x', durationS: 5, tempoBpm: 0, mood: 'happy' };
    await expect(music.generateMusic(request, callContext(dir))).rejects.toMatchObject({
      code: 'animatic_invalid_request',
    });
    await expect(
      music.generateMusic({ ...request, tempoBpm: 100, durationS: -1 }, callContext(dir)),
    ).rejects.toMatchObject({ code: 'animatic_invalid_request' });
    expect(entries(dir)).toEqual([]);
  });
});
