import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../src/errors.js';
import { estimateCallCost, estimateVideoCost, loadModelRegistry, planChunks } from '../../src/models/index.js';

const registry = loadModelRegistry();

describe('estimateCallCost', () => {
  it('bills per-second models by output seconds', () => {
    expect(estimateCallCost(registry.get('hailuo'), { outputSeconds: 10 })).toBeCloseTo(0.45, 9);
    expect(estimateCallCost(registry.get('lipsync-2'), { outputSeconds: 8 })).toBeCloseTo(0.4, 9);
  });

  it('bills per-image and per-run models by count, one by default', () => {
    expect(estimateCallCost(registry.get('flux-schnell'), { images: 4 })).toBeCloseTo(0.012, 9);
    expect(estimateCallCost(registry.get('flux-dev'))).toBeCloseTo(0.025, 9);
    expect(estimateCallCost(registry.get('wan-2.2'), { runs: 3 })).toBeCloseTo(0.15, 9);
  });

  it('refuses a per-second estimate without seconds, or a negative quantity', () => {
    expect(() => estimateCallCost(registry.get('veo3'), { runs: 2 })).toThrow(PermanentError);
    expect(() => estimateCallCost(registry.get('flux-dev'), { images: -1 })).toThrow(PermanentError);
  });
});

describe('estimateVideoCost', () => {
  it('prices a 15 s ad on hailuo as chunk output seconds × $/s + storyboard + music', () => {
    const estimate = estimateVideoCost({
      video: registry.get('hailuo'),
      image: registry.get('flux-schnell'),
      music: registry.get('musicgen'),
      sceneDurationsS: [5, 10],
      storyboardImages: 2,
      musicDurationS: 20,
    });
    expect(estimate.lines).toEqual([
      { kind: 'video', model: 'hailuo', quantity: 16, unit: 'second', calls: 2, usd: 0.72 },
      { kind: 'image', model: 'flux-schnell', quantity: 2, unit: 'image', calls: 2, usd: 0.006 },
      { kind: 'music', model: 'musicgen', quantity: 1, unit: 'run', calls: 1, usd: 0.1 },
    ]);
    expect(estimate.totalUsd).toBeCloseTo(16 * 0.045 + 2 * 0.003 + 0.1, 9);
  });

  it('bills the output seconds of each chunk, not the seconds asked', () => {
    const estimate = estimateVideoCost({
      video: registry.get('wan'),
      image: registry.get('flux-schnell'),
      sceneDurationsS: [10, 10, 10],
    });
    const wan = registry.get('wan');
    const seconds = 3 * planChunks(wan, 10).totalOutputS;
    expect(estimate.lines[0]).toMatchObject({ kind: 'video', quantity: seconds, calls: 6 });
    expect(estimate.lines[0]?.usd).toBeCloseTo(seconds * 0.09, 6);
    expect(seconds).toBeGreaterThan(30);
  });

  it('counts calls for per-run video models and one storyboard image per scene by default', () => {
    const estimate = estimateVideoCost({
      video: registry.get('animatediff'),
      image: registry.get('flux-schnell'),
      sceneDurationsS: [30],
    });
    expect(estimate.lines).toEqual([
      { kind: 'video', model: 'animatediff', quantity: 15, unit: 'run', calls: 15, usd: 1.38 },
      { kind: 'image', model: 'flux-schnell', quantity: 1, unit: 'image', calls: 1, usd: 0.003 },
    ]);
  });

  it('caps music at the model’s maximum and leaves it out when none is asked', () => {
    const perSecondMusic = { ...registry.get('stable-audio'), cost: { unit: 'second' as const, usd: 0.01 } };
    const capped = estimateVideoCost({
      video: registry.get('veo3'),
      image: registry.get('flux-schnell'),
      music: perSecondMusic,
      sceneDurationsS: [8],
      storyboardImages: 0,
      musicDurationS: 500,
    });
    expect(capped.lines.map((l) => l.kind)).toEqual(['video', 'music']);
    expect(capped.lines[1]).toMatchObject({ quantity: 190, usd: 1.9 });
    const silent = estimateVideoCost({
      video: registry.get('veo3'),
      image: registry.get('flux-schnell'),
      music: registry.get('musicgen'),
      sceneDurationsS: [8],
    });
    expect(silent.lines.map((l) => l.kind)).toEqual(['video', 'image']);
    expect(silent.totalUsd).toBeCloseTo(0.8 + 0.003, 9);
  });
});
