import { describe, expect, it } from 'vitest';
import { CAMERA_MOVES } from '../../../src/media/image-to-clip.js';
import { resolveCameraMove } from '../../../src/providers/animatic/camera.js';

describe('resolveCameraMove', () => {
  it('keeps every move the media toolkit knows', () => {
    for (const move of CAMERA_MOVES) expect(resolveCameraMove(move, 'prompt')).toBe(move);
  });

  it('understands common phrasings', () => {
    const cases: Array<[string, string]> = [
      ['Dolly in', 'dolly_in'],
      ['slow push-in on the face', 'dolly_in'],
      ['zoom out', 'dolly_out'],
      ['pull back to reveal the city', 'dolly_out'],
      ['PAN LEFT', 'pan_left'],
      ['orbit', 'pan_right'],
      ['crane up over the crowd', 'tilt_up'],
      ['tilt down', 'tilt_down'],
      ['locked-off static shot', 'static'],
    ];
    for (const [asked, expected] of cases) expect(resolveCameraMove(asked, 'p')).toBe(expected);
  });

  it('picks a moving shot deterministically from the prompt when none or an unknown one is asked', () => {
    const picked = resolveCameraMove(undefined, 'A lighthouse at dusk', 7);
    expect(picked).not.toBe('static');
    expect(resolveCameraMove(undefined, 'A lighthouse at dusk', 7)).toBe(picked);
    expect(resolveCameraMove('whip-smash', 'A lighthouse at dusk', 7)).toBe(picked);
    const spread = new Set(Array.from({ length: 40 }, (_, i) => resolveCameraMove(undefined, `prompt ${i}`)));
    expect(spread.size).toBeGreaterThan(3);
  });
});
