import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PermanentError, UserError } from '../../src/errors.js';
import { chunkCount, loadModelRegistry, planChunks, roundToAllowedDuration } from '../../src/models/index.js';
import { videoSpec } from './fixtures.js';

const registry = loadModelRegistry();
const lengths = (key: string, seconds: number) =>
  planChunks(registry.get(key), seconds).chunks.map((c) => c.outputDurationS);

describe('planChunks on models with one output length', () => {
  it('needs 6 chunks for 30 s on wan and 15 on animatediff (the predecessor’s measured facts)', () => {
    expect(chunkCount(registry.get('wan'), 30)).toBe(6);
    expect(chunkCount(registry.get('animatediff'), 30)).toBe(15);
    expect(chunkCount(registry.get('zeroscope'), 30)).toBe(10);
  });

  it('does not add a chunk when the scene is an exact multiple of the chunk length', () => {
    const fiveSeconds = videoSpec({ actualChunkDurationS: 5 });
    expect(chunkCount(fiveSeconds, 10)).toBe(2);
    const tenthOfASecond = videoSpec({ actualChunkDurationS: 0.1 });
    expect(chunkCount(tenthOfASecond, 0.1 + 0.2)).toBe(3);
  });

  it('asks for and expects the fixed length for every chunk, and bills per-second output', () => {
    const plan = planChunks(registry.get('wan'), 12);
    const wan = registry.get('wan').actualChunkDurationS as number;
    expect(plan.chunks).toEqual([0, 1, 2].map((index) => ({ index, requestedDurationS: wan, outputDurationS: wan })));
    expect(plan.totalOutputS).toBeCloseTo(3 * wan, 9);
    expect(plan.surplusS).toBeCloseTo(3 * wan - 12, 9);
    expect(plan.costUsd).toBeCloseTo(3 * wan * 0.09, 6);
  });

  it('bills per-run models per call', () => {
    const plan = planChunks(registry.get('wan-2.2'), 15);
    expect(plan.chunks).toHaveLength(3);
    expect(plan.costUsd).toBeCloseTo(3 * 0.05, 9);
  });
});

describe('planChunks on models with several durations', () => {
  it('covers 15 s on veo with 8+8 (1 s surplus, two calls) rather than 6+6+4', () => {
    const plan = planChunks(registry.get('veo3'), 15);
    expect(plan.chunks.map((c) => c.requestedDurationS)).toEqual([8, 8]);
    expect(plan.surplusS).toBe(1);
    expect(plan.totalOutputS).toBe(16);
  });

  it('covers 5 s on veo with one 6 s chunk', () => {
    expect(lengths('veo3', 5)).toEqual([6]);
  });

  it('covers 10 s on hailuo with one 10 s chunk and 15 s with 10+6, longest first', () => {
    expect(lengths('hailuo', 10)).toEqual([10]);
    expect(lengths('hailuo', 15)).toEqual([10, 6]);
    expect(lengths('hailuo', 5)).toEqual([6]);
    expect(lengths('hailuo', 20)).toEqual([10, 10]);
  });

  it('prefers least surplus over fewer calls', () => {
    expect(lengths('hailuo', 12)).toEqual([6, 6]);
    expect(lengths('veo3', 10)).toEqual([6, 4]);
  });

  it('breaks a surplus tie by cost on per-run models (fewer calls cost less)', () => {
    const perRun = videoSpec({
      allowedDurationsS: [5, 10],
      durationControllable: true,
      cost: { unit: 'run', usd: 0.3 },
    });
    const plan = planChunks(perRun, 11);
    expect(plan.chunks.map((c) => c.requestedDurationS)).toEqual([10, 5]);
    expect(plan.costUsd).toBeCloseTo(0.6, 9);
  });

  it('hits a whole-second scene exactly on seedance (2–12 s)', () => {
    expect(lengths('seedance', 15)).toEqual([12, 3]);
    expect(planChunks(registry.get('seedance'), 7).surplusS).toBe(0);
  });

  it('gives the same plan every time', () => {
    expect(planChunks(registry.get('veo3'), 30)).toEqual(planChunks(registry.get('veo3'), 30));
  });
});

describe('planChunks covers every scene on every shipped video model', () => {
  it('with total ≥ scene, surplus below the longest chunk, and chunks in longest-first order', () => {
    const videoModels = registry.list('video');
    fc.assert(
      fc.property(fc.constantFrom(...videoModels), fc.integer({ min: 1, max: 24 }), (model, fives) => {
        const scene = fives * 5;
        const plan = planChunks(model, scene);
        const outputs = plan.chunks.map((c) => c.outputDurationS);
        const longest = Math.max(...(model.allowedDurationsS ?? [model.actualChunkDurationS as number]));
        expect(plan.totalOutputS).toBeGreaterThanOrEqual(scene - 1e-9);
        expect(plan.surplusS).toBeLessThan(longest);
        expect(plan.surplusS).toBeCloseTo(plan.totalOutputS - scene, 9);
        expect(outputs).toEqual([...outputs].sort((a, b) => b - a));
        expect(plan.chunks.map((c) => c.index)).toEqual(outputs.map((_, i) => i));
        for (const seconds of outputs) {
          if (model.allowedDurationsS) expect(model.allowedDurationsS).toContain(seconds);
          else expect(seconds).toBe(model.actualChunkDurationS);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('never leaves a cheaper-or-tighter combination unused (brute force on short scenes)', () => {
    const multi = registry.list('video').filter((m) => m.allowedDurationsS && m.allowedDurationsS.length <= 3);
    fc.assert(
      fc.property(fc.constantFrom(...multi), fc.double({ min: 0.5, max: 40, noNaN: true }), (model, scene) => {
        const allowed = model.allowedDurationsS as number[];
        let bestSurplus = Number.POSITIVE_INFINITY;
        const search = (total: number, depth: number) => {
          if (total >= scene) {
            bestSurplus = Math.min(bestSurplus, total - scene);
            return;
          }
          if (depth < 12) for (const seconds of allowed) search(total + seconds, depth + 1);
        };
        search(0, 0);
        expect(planChunks(model, scene).surplusS).toBeCloseTo(bestSurplus, 6);
      }),
      { numRuns: 150 },
    );
  });
});

describe('planChunks refuses what it cannot plan', () => {
  it('refuses a scene that is not a positive number of seconds', () => {
    for (const bad of [0, -5, Number.NaN, Number.POSITIVE_INFINITY, 4000]) {
      expect(() => planChunks(registry.get('hailuo'), bad)).toThrow(UserError);
    }
  });

  it('refuses a model that is not a video model', () => {
    expect(() => planChunks(registry.get('musicgen'), 10)).toThrow(PermanentError);
  });
});

describe('roundToAllowedDuration', () => {
  it('picks the nearest allowed duration, ties going to the longer one', () => {
    const veo = registry.get('veo3');
    const hailuo = registry.get('hailuo');
    expect(roundToAllowedDuration(veo, 5)).toBe(6);
    expect(roundToAllowedDuration(veo, 7)).toBe(8);
    expect(roundToAllowedDuration(veo, 4.9)).toBe(4);
    expect(roundToAllowedDuration(hailuo, 7)).toBe(6);
    expect(roundToAllowedDuration(hailuo, 8)).toBe(10);
    expect(roundToAllowedDuration(hailuo, 9)).toBe(10);
  });

  it('clamps to the shortest and longest allowed durations', () => {
    expect(roundToAllowedDuration(registry.get('veo3'), 1)).toBe(4);
    expect(roundToAllowedDuration(registry.get('veo3'), 30)).toBe(8);
    expect(roundToAllowedDuration(registry.get('seedance'), 0)).toBe(2);
  });

  it('answers the fixed length of a model without a choice', () => {
    expect(roundToAllowedDuration(registry.get('zeroscope'), 10)).toBe(3);
  });
});
