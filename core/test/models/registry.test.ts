import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { loadModelRegistry, parseModelRegistry, toModelInfo } from '../../src/models/index.js';
import { MODEL_KINDS } from '../../src/models/types.js';

const registry = loadModelRegistry();

function thrown(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a UserError');
}

describe('the shipped model registry', () => {
  it('loads once and is memoised', () => {
    expect(loadModelRegistry()).toBe(registry);
    expect(registry.file.endsWith('core/models.yaml')).toBe(true);
  });

  it('names hailuo, flux-schnell, musicgen and lipsync-2 as the defaults of their kinds', () => {
    expect(registry.defaultFor('video').key).toBe('hailuo');
    expect(registry.defaultFor('image').key).toBe('flux-schnell');
    expect(registry.defaultFor('music').key).toBe('musicgen');
    expect(registry.defaultFor('lipsync').key).toBe('lipsync-2');
  });

  it('ships every model the design names', () => {
    const keys = (kind: (typeof MODEL_KINDS)[number]) => registry.list(kind).map((m) => m.key);
    expect(keys('video')).toEqual(
      expect.arrayContaining([
        'hailuo',
        'hailuo-fast',
        'wan',
        'wan-2.2',
        'zeroscope',
        'animatediff',
        'runway',
        'veo3',
        'kling',
        'seedance',
      ]),
    );
    expect(keys('image')).toEqual(expect.arrayContaining(['flux-schnell', 'flux-dev', 'flux-kontext-pro']));
    expect(keys('music')).toEqual(expect.arrayContaining(['musicgen', 'stable-audio']));
    expect(keys('lipsync')).toEqual(expect.arrayContaining(['lipsync-2', 'pixverse-lipsync', 'kling-lipsync']));
    expect(registry.list()).toHaveLength(MODEL_KINDS.reduce((n, kind) => n + registry.list(kind).length, 0));
  });

  it('gives every model a real-looking Replicate id, with a version hash for community models', () => {
    for (const model of registry.list()) {
      expect(model.replicateId, model.key).toMatch(/^[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*(:[0-9a-f]{64})?$/);
    }
    for (const key of ['zeroscope', 'animatediff', 'musicgen']) {
      expect(registry.get(key).replicateId, key).toMatch(/:[0-9a-f]{64}$/);
    }
    expect(registry.get('hailuo').replicateId).toBe('minimax/hailuo-02');
    expect(registry.get('veo3').replicateId).toMatch(/^google\/veo-3/);
  });

  it('pins resolution and audio so no model runs at its costliest default', () => {
    expect(registry.get('hailuo').fixedInputs).toMatchObject({ resolution: '768p' });
    expect(registry.get('veo3').fixedInputs).toMatchObject({ generate_audio: false, resolution: '720p' });
    expect(registry.get('veo3').outputHasAudio).toBe(false);
    expect(registry.get('seedance').fixedInputs.resolution).toMatch(/^(480p|720p)$/);
    expect(registry.get('wan-2.2').fixedInputs).toMatchObject({
      num_frames: 81,
      frames_per_second: 16,
      resolution: '480p',
    });
    expect(registry.get('musicgen').fixedInputs).toMatchObject({ output_format: 'mp3' });
  });

  it('records the chunk facts of the seeds and the schema', () => {
    expect(registry.get('hailuo')).toMatchObject({ allowedDurationsS: [6, 10], width: 1366, height: 768 });
    expect(registry.get('wan').actualChunkDurationS).toBeCloseTo(5.06, 1);
    expect(registry.get('zeroscope')).toMatchObject({ actualChunkDurationS: 3, width: 576, height: 320, fps: 8 });
    expect(registry.get('animatediff').actualChunkDurationS).toBe(2);
    expect(registry.get('veo3')).toMatchObject({ allowedDurationsS: [4, 6, 8], width: 1280, height: 720, fps: 24 });
    expect(registry.get('seedance').allowedDurationsS).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(registry.get('musicgen').maxDurationS).toBe(30);
    expect(registry.get('stable-audio').maxDurationS).toBe(190);
  });

  it('returns frozen specs', () => {
    const hailuo = registry.get('hailuo');
    expect(Object.isFrozen(hailuo)).toBe(true);
    expect(Object.isFrozen(hailuo.fixedInputs)).toBe(true);
  });
});

describe('registry.get', () => {
  it('matches keys case-insensitively and ignores surrounding spaces', () => {
    expect(registry.get(' Hailuo ', 'video').key).toBe('hailuo');
  });

  it('refuses an unknown model with the valid keys of that kind', () => {
    const error = thrown(() => registry.get('foo', 'video'));
    expect(error.code).toBe('unknown_model');
    expect(error.message).toMatch(/^Unknown video model 'foo'\. Valid: hailuo, hailuo-fast, wan, /);
    expect(error.message).not.toContain('flux-schnell');
    expect(error.details).toMatchObject({ key: 'foo', kind: 'video', valid: registry.list('video').map((m) => m.key) });
  });

  it('refuses a model of another kind and says what kind it is', () => {
    const error = thrown(() => registry.get('flux-schnell', 'video'));
    expect(error.code).toBe('unknown_model');
    expect(error.message).toContain("'flux-schnell' is an image model");
  });

  it('lists every key when no kind is given', () => {
    const error = thrown(() => registry.get('nope'));
    expect(error.message).toContain("Unknown model 'nope'");
    expect(error.message).toContain('lipsync-2');
  });
});

describe('toModelInfo', () => {
  it('shows a fixed-length video model with its chunk duration', () => {
    expect(toModelInfo(registry.get('wan'))).toEqual({
      key: 'wan',
      kind: 'video',
      label: registry.get('wan').label,
      description: registry.get('wan').description,
      replicateId: 'wavespeedai/wan-2.1-i2v-480p',
      chunkDurationS: registry.get('wan').actualChunkDurationS,
      fps: 16,
      width: 832,
      height: 480,
      cost: { unit: 'second', usd: 0.09 },
      supports: { textToVideo: false, firstFrame: true, lastFrame: false, referenceImages: false },
    });
  });

  it('shows a model with a choice of durations with the allowed list and no input names', () => {
    const info = toModelInfo(registry.get('veo3'));
    expect(info.allowedDurationsS).toEqual([4, 6, 8]);
    expect(info).not.toHaveProperty('chunkDurationS');
    expect(info).not.toHaveProperty('params');
    expect(info).not.toHaveProperty('fixedInputs');
  });
});

describe('parseModelRegistry', () => {
  it('parses the shipped file from text the same way', () => {
    const text = [
      'defaults: { video: v, image: i, music: m, lipsync: l }',
      'models:',
      '  - { key: v, kind: video, replicateId: a/v, label: V, description: d, actualChunkDurationS: 5, fps: 16, width: 832, height: 480, params: { prompt: prompt }, supports: { textToVideo: true }, cost: { unit: run, usd: 0.1 } }',
      '  - { key: i, kind: image, replicateId: a/i, label: I, description: d, maxOutputs: 1, params: { prompt: prompt }, cost: { unit: image, usd: 0.01 } }',
      '  - { key: m, kind: music, replicateId: a/m, label: M, description: d, maxDurationS: 30, defaultDurationS: 10, params: { prompt: prompt, duration: duration }, cost: { unit: run, usd: 0.1 } }',
      '  - { key: l, kind: lipsync, replicateId: a/l, label: L, description: d, params: { video: video, audio: audio }, cost: { unit: second, usd: 0.05 } }',
    ].join('\n');
    const parsed = parseModelRegistry(text, 'inline.yaml');
    expect(parsed.file).toBe('inline.yaml');
    expect(parsed.defaultFor('video')).toMatchObject({ key: 'v', durationControllable: false, fixedInputs: {} });
    expect(parsed.get('l').supports).toEqual({
      textToVideo: false,
      firstFrame: false,
      lastFrame: false,
      referenceImages: false,
    });
  });
});
