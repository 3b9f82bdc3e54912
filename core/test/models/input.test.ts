import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { buildModelInput, loadModelRegistry } from '../../src/models/index.js';

const registry = loadModelRegistry();
const FIRST = 'https://files.example/first.png';
const LAST = 'https://files.example/last.png';

function build(key: string, params: Parameters<typeof buildModelInput>[1]) {
  return buildModelInput(registry.get(key), params);
}

describe('buildModelInput frame names', () => {
  it('sends hailuo’s first and last frames as first_frame_image and last_frame_image', () => {
    const { input, dropped } = build('hailuo', { prompt: 'a cat', firstFrame: FIRST, lastFrame: LAST });
    expect(input).toMatchObject({ prompt: 'a cat', first_frame_image: FIRST, last_frame_image: LAST });
    expect(dropped).toEqual([]);
  });

  it('sends wan’s first frame as image', () => {
    expect(build('wan', { prompt: 'a cat', firstFrame: FIRST }).input).toMatchObject({ image: FIRST });
  });

  it('sends veo’s first frame as image and last frame as last_frame', () => {
    const { input } = build('veo3', { prompt: 'a cat', firstFrame: FIRST, lastFrame: LAST });
    expect(input).toMatchObject({ image: FIRST, last_frame: LAST });
    expect(input).not.toHaveProperty('last_frame_image');
  });

  it('sends kling’s frames as start_image and end_image, and wan 2.2’s last frame as last_image', () => {
    expect(build('kling', { prompt: 'a cat', firstFrame: FIRST, lastFrame: LAST }).input).toMatchObject({
      start_image: FIRST,
      end_image: LAST,
    });
    expect(build('wan-2.2', { prompt: 'a cat', firstFrame: FIRST, lastFrame: LAST }).input).toMatchObject({
      image: FIRST,
      last_image: LAST,
    });
  });
});

describe('buildModelInput fixed inputs and durations', () => {
  it('always sends hailuo at 768p and veo at 720p without audio', () => {
    expect(build('hailuo', { prompt: 'x' }).input).toMatchObject({ resolution: '768p' });
    expect(build('veo3', { prompt: 'x' }).input).toMatchObject({ resolution: '720p', generate_audio: false });
  });

  it('rounds the duration to an allowed one and reports what was sent', () => {
    const veo = build('veo3', { prompt: 'x', durationS: 5 });
    expect(veo.input.duration).toBe(6);
    expect(veo.durationS).toBe(6);
    expect(build('hailuo', { prompt: 'x', durationS: 7 }).input.duration).toBe(6);
  });

  it('sends the shortest allowed duration when none is given', () => {
    expect(build('veo3', { prompt: 'x' }).input.duration).toBe(4);
    expect(build('hailuo', { prompt: 'x' }).input.duration).toBe(6);
  });

  it('omits the duration for models whose length is fixed, without calling it dropped', () => {
    const wan = build('wan', { prompt: 'x', firstFrame: FIRST, durationS: 10 });
    expect(Object.values(wan.input)).not.toContain(10);
    expect(wan.dropped).toEqual([]);
    expect(wan.durationS).toBeUndefined();
    expect(build('wan-2.2', { prompt: 'x', firstFrame: FIRST }).input).toMatchObject({
      num_frames: 81,
      frames_per_second: 16,
    });
  });

  it('rounds music up to whole seconds within the model’s maximum and never leaves it to the model', () => {
    expect(build('musicgen', { prompt: 'lofi', durationS: 20.2 }).input).toMatchObject({
      duration: 21,
      output_format: 'mp3',
    });
    expect(build('musicgen', { prompt: 'lofi', durationS: 95 }).input.duration).toBe(30);
    expect(build('stable-audio', { prompt: 'lofi' }).input.duration).toBe(
      registry.get('stable-audio').defaultDurationS,
    );
  });
});

describe('buildModelInput drops what a model lacks', () => {
  it('drops a first frame given to a text-only model and says so', () => {
    const { input, dropped } = build('zeroscope', { prompt: 'x', firstFrame: FIRST, lastFrame: LAST });
    expect(Object.values(input)).not.toContain(FIRST);
    expect(dropped).toEqual(['firstFrame', 'lastFrame']);
  });

  it('drops a last frame on a model with first frame only, and a seed where there is none', () => {
    expect(build('hailuo-fast', { prompt: 'x', lastFrame: LAST, seed: 7 }).dropped).toEqual(['lastFrame', 'seed']);
    expect(build('veo3', { prompt: 'x', seed: 7 }).input.seed).toBe(7);
  });

  it('treats empty strings as absent', () => {
    const { input, dropped } = build('hailuo', { prompt: 'x', negativePrompt: '' });
    expect(dropped).toEqual([]);
    expect(input).not.toHaveProperty('negative_prompt');
  });
});

describe('buildModelInput for images and lipsync', () => {
  it('asks flux-schnell for up to 4 images and clamps beyond', () => {
    expect(build('flux-schnell', { prompt: 'x', count: 3 })).toMatchObject({ input: { num_outputs: 3 }, count: 3 });
    expect(build('flux-schnell', { prompt: 'x', count: 9 })).toMatchObject({ input: { num_outputs: 4 }, count: 4 });
    expect(build('flux-schnell', { prompt: 'x' }).input.num_outputs).toBe(1);
  });

  it('gives a reference to flux-dev as image and to kontext as input_image; kontext makes one image', () => {
    expect(build('flux-dev', { prompt: 'x', reference: FIRST }).input).toMatchObject({ image: FIRST });
    const kontext = build('flux-kontext-pro', { prompt: 'x', reference: FIRST, count: 2 });
    expect(kontext.input).toMatchObject({ input_image: FIRST });
    expect(kontext.count).toBe(1);
    expect(kontext.dropped).toEqual(['count']);
    expect(build('flux-schnell', { prompt: 'x', reference: FIRST }).dropped).toEqual(['reference']);
  });

  it('maps lipsync inputs per model', () => {
    const video = 'https://files.example/clip.mp4';
    const audio = 'https://files.example/voice.wav';
    expect(build('lipsync-2', { video, audio }).input).toEqual({ video, audio, sync_mode: 'cut_off' });
    expect(build('kling-lipsync', { video, audio }).input).toEqual({ video_url: video, audio_file: audio });
    expect(build('pixverse-lipsync', { video, audio, prompt: 'x' }).dropped).toEqual(['prompt']);
  });
});

describe('buildModelInput refuses what a model cannot run without', () => {
  it('refuses an image-to-video model without a first frame', () => {
    expect(() => build('wan', { prompt: 'x' })).toThrow(
      expect.objectContaining({ code: 'missing_model_input', message: expect.stringContaining('first-frame image') }),
    );
  });

  it('refuses a blank prompt and a lipsync without audio', () => {
    expect(() => build('hailuo', { prompt: '  ' })).toThrow(UserError);
    expect(() => build('lipsync-2', { video: 'https://files.example/clip.mp4' })).toThrow(
      "Model 'lipsync-2' needs an audio track.",
    );
  });
});
