import { describe, expect, it } from 'vitest';
import { animaticOutputDurationS, wouldCostUsd } from '../../../src/providers/animatic/index.js';
import { CHOICE_MODEL, modelSpec, SINGLE_LENGTH_MODEL } from './fixtures.js';

describe('animaticOutputDurationS', () => {
  it('gives a single-length model its own length whatever is asked', () => {
    for (const asked of [0.5, 2, 5, 30]) expect(animaticOutputDurationS(SINGLE_LENGTH_MODEL, asked)).toBe(2);
    const wan = modelSpec({ key: 'wan', kind: 'video', actualChunkDurationS: 5.06 });
    expect(animaticOutputDurationS(wan, 10)).toBe(5.06);
  });

  it('rounds to the nearest allowed duration, ties going up', () => {
    const cases: Array<[number, number]> = [
      [1, 4],
      [4, 4],
      [4.9, 4],
      [5, 6],
      [6.5, 6],
      [7, 8],
      [15, 8],
    ];
    for (const [asked, expected] of cases) expect(animaticOutputDurationS(CHOICE_MODEL, asked)).toBe(expected);
    const hailuo = modelSpec({ key: 'hailuo', kind: 'video', allowedDurationsS: [10, 6] });
    expect(animaticOutputDurationS(hailuo, 8)).toBe(10);
    expect(animaticOutputDurationS(hailuo, 7.9)).toBe(6);
  });

  it('keeps the asked duration for a model with a free length', () => {
    expect(animaticOutputDurationS(modelSpec({ key: 'free', kind: 'video' }), 3.3)).toBe(3.3);
  });

  it('refuses a duration that is not a positive number', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => animaticOutputDurationS(CHOICE_MODEL, bad)).toThrow(
        expect.objectContaining({ code: 'animatic_invalid_request' }),
      );
    }
  });
});

describe('wouldCostUsd', () => {
  it('prices a run, each image, or each second of output', () => {
    const run = modelSpec({ key: 'r', kind: 'video', cost: { unit: 'run', usd: 0.4 } });
    const image = modelSpec({ key: 'i', kind: 'image', cost: { unit: 'image', usd: 0.003 } });
    const second = modelSpec({ key: 's', kind: 'video', cost: { unit: 'second', usd: 0.045 } });
    expect(wouldCostUsd(run, { seconds: 10 })).toBe(0.4);
    expect(wouldCostUsd(image, { images: 4 })).toBe(0.012);
    expect(wouldCostUsd(second, { seconds: 6 })).toBe(0.27);
  });
});
