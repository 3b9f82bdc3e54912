import { describe, expect, it } from 'vitest';
import { createScenes, planScenes, planVideo } from '../../src/plan/index.js';

const CHARACTER = 'a woman with short silver hair in a red leather jacket';

describe('createScenes', () => {
  it('cuts the default flavor into 5-second scenes that each show the character', () => {
    const plan = createScenes({ idea: 'a rainy night in Tokyo', characterDescription: CHARACTER, durationS: 25 });
    expect(plan.scenes.map((scene) => [scene.startS, scene.durationS])).toEqual([
      [0, 5],
      [5, 5],
      [10, 5],
      [15, 5],
      [20, 5],
    ]);
    for (const scene of plan.scenes) {
      expect(scene.description).toContain(CHARACTER);
      expect(scene.description).toContain('a rainy night in Tokyo');
      expect(scene.negativeDescription).toContain('inconsistent face');
    }
    expect(new Set(plan.scenes.map((scene) => scene.description)).size).toBe(5);
  });

  it('uses the cinematic flavor scene length, the last scene taking the remainder', () => {
    const plan = createScenes({ idea: 'a lighthouse keeper', durationS: 25, flavor: 'cinematic' });
    expect(plan.scenes.map((scene) => scene.durationS)).toEqual([10, 10, 5]);
    expect(plan.flavor).toBe('cinematic');
    expect(plan.characterDescription).toBe('a solitary figure in a long dark coat');
    expect(plan.scenes[0]?.description).toContain('35mm film grain');
  });

  it('uses the flavor default character when none is given', () => {
    const plan = createScenes({ idea: 'summer love', durationS: 10, characterDescription: '   ' });
    expect(plan.characterDescription).toBe('the lead singer, a young performer in a denim jacket');
    expect(plan.scenes.every((scene) => scene.description.includes(plan.characterDescription))).toBe(true);
  });

  it('is what planVideo returns in music_video mode, and is deterministic', () => {
    const viaPlanner = planVideo({
      prompt: 'neon city',
      mode: 'music_video',
      durationS: 30,
      characterDescription: CHARACTER,
    });
    const direct = createScenes({ idea: 'neon city', durationS: 30, characterDescription: CHARACTER });
    expect(viaPlanner).toEqual(direct);
    expect(createScenes({ idea: 'neon city', durationS: 30, characterDescription: CHARACTER })).toEqual(direct);
  });

  it('gives the pipeline scenes with prompt, negative prompt and a direction', () => {
    const plan = createScenes({ idea: 'desert road trip', characterDescription: CHARACTER, durationS: 15 });
    const scenes = planScenes(plan);
    expect(scenes).toHaveLength(3);
    expect(scenes[1]).toMatchObject({
      index: 1,
      startS: 5,
      durationS: 5,
      title: 'Scene 2',
      prompt: plan.scenes[1]?.description,
      negativePrompt: plan.scenes[1]?.negativeDescription,
    });
    expect(scenes[0]?.directionPrompt).toMatch(/camera/);
    expect(scenes[0]?.beatId).toBeUndefined();
  });

  it('opens with the first moment and closes with the last', () => {
    const plan = createScenes({ idea: 'a quiet morning', characterDescription: CHARACTER, durationS: 40 });
    expect(plan.scenes[0]?.description).toContain('stands alone');
    expect(plan.scenes.at(-1)?.description).toContain('quiet smile');
  });
});
