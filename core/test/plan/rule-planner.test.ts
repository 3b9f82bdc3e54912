import { describe, expect, it } from 'vitest';
import { type AdPlan, loadBeatLibrary, type Plan, planScenes, planVideo } from '../../src/plan/index.js';

function adPlan(plan: Plan): AdPlan {
  if (plan.mode !== 'ad') throw new Error(`expected an ad plan, got ${plan.mode}`);
  return plan;
}

const library = loadBeatLibrary();

describe('planVideo archetypes', () => {
  it('picks the luxury archetype for a luxury watch, with black and gold and a slow tempo', () => {
    const plan = adPlan(planVideo({ prompt: 'A luxury watch on black velvet', durationS: 30, creativity: 0 }));
    expect(plan.archetype).toBe('luxury_showcase');
    expect(plan.style.palette).toEqual(expect.arrayContaining(['#0b0b0b', '#d4af37']));
    expect(plan.audio.tempoBpm).toBeLessThanOrEqual(90);
    expect(plan.style.look).toMatch(/luxury/);
  });

  it('picks the energetic archetype for sneakers and sport, with a fast tempo', () => {
    const plan = adPlan(
      planVideo({ prompt: 'Energetic sneaker commercial with athletes sprinting through the city', durationS: 20 }),
    );
    expect(plan.archetype).toBe('high_energy');
    expect(plan.audio.tempoBpm).toBeGreaterThanOrEqual(130);
    expect(plan.audio.style).toMatch(/hip-hop/);
    expect(plan.style.palette).toContain('#ff3d00');
    expect(plan.beats[0]?.prompt).toContain('athletes');
    expect(plan.beats.some((beat) => beat.prompt.includes('the city'))).toBe(true);
  });

  it.each([
    ['An ad for our new smartphone app', 'tech_reveal'],
    ['Fresh organic orange juice in the morning sun', 'fresh_natural'],
    ['A cosy weekend at home with family and friends', 'lifestyle_story'],
    ['Something nice for grandma', 'product_showcase'],
  ])('picks an archetype from the keywords of %j', (prompt, archetype) => {
    expect(adPlan(planVideo({ prompt })).archetype).toBe(archetype);
  });
});

describe('planVideo style and audio', () => {
  it('uses greens for a fresh prompt and the colours a prompt names, in order', () => {
    expect(adPlan(planVideo({ prompt: 'fresh organic smoothie' })).style.palette).toContain('#2e7d32');
    const named = adPlan(planVideo({ prompt: 'a bike ad in red and navy with a touch of gold' })).style.palette;
    expect(named).toEqual(['#d32f2f', '#1a237e', '#d4af37']);
  });

  it('falls back to a neutral palette when the prompt has no colour or mood words', () => {
    expect(adPlan(planVideo({ prompt: 'something for grandma' })).style.palette).toEqual([
      '#1a1a1a',
      '#f5f5f5',
      '#3d5afe',
    ]);
  });

  it('slows the music down for calm prompts and speeds it up for party prompts', () => {
    const calm = adPlan(planVideo({ prompt: 'a calm relaxing spa day', creativity: 0 })).audio;
    const party = adPlan(planVideo({ prompt: 'a dance party energy drink', creativity: 0 })).audio;
    expect(calm).toMatchObject({ mood: 'calm', tempoBpm: 72 });
    expect(party.tempoBpm).toBeGreaterThanOrEqual(124);
    expect(party.style).toMatch(/dance/);
  });
});

describe('planVideo beats', () => {
  it('opens with an opening beat and, with two beats or more, closes with a closing beat', () => {
    const position = (id: string | undefined) => library.beats.get(id ?? '')?.typicalPosition;
    for (const durationS of [5, 10, 15, 30, 60, 120]) {
      const plan = adPlan(planVideo({ prompt: 'A luxury watch', durationS, creativity: 0 }));
      expect(position(plan.beats[0]?.id)).toBe('opening');
      if (durationS >= 10) expect(position(plan.beats.at(-1)?.id)).toBe('closing');
      else expect(plan.beats).toHaveLength(1);
    }
  });

  it('follows the archetype sequence at creativity 0', () => {
    const plan = adPlan(planVideo({ prompt: 'A luxury watch', durationS: 30, creativity: 0 }));
    expect(plan.beats.map((beat) => beat.id)).toEqual([
      'mystery_tease',
      'hero_shot',
      'detail_showcase',
      'product_in_motion',
      'sensory_closeup',
      'logo_reveal',
    ]);
  });

  it('puts the product into every beat prompt and the direction into every direction prompt', () => {
    const plan = adPlan(planVideo({ prompt: 'Create a 30 second ad for Nike running shoes', durationS: 30 }));
    for (const beat of plan.beats) {
      expect(beat.prompt).toContain('Nike running shoes');
      expect(beat.directionPrompt.toLowerCase()).toContain(
        beat.shotType.replace(/_/g, ' ').replace('close up', 'close-up'),
      );
    }
  });

  it('asks the first beat to match the reference image only when there is one', () => {
    const withImage = adPlan(planVideo({ prompt: 'A luxury watch', durationS: 20, hasImage: true }));
    const without = adPlan(planVideo({ prompt: 'A luxury watch', durationS: 20 }));
    expect(withImage.beats[0]?.prompt).toContain('reference image of the luxury watch');
    expect(withImage.beats.slice(1).some((beat) => beat.prompt.includes('reference image'))).toBe(false);
    expect(without.beats.some((beat) => beat.prompt.includes('reference image'))).toBe(false);
  });

  it('varies beats and lengths more at high creativity', () => {
    const prompts = ['A luxury watch', 'sneakers for runners', 'organic coffee', 'a new laptop', 'family picnic'];
    const sequence = (prompt: string, creativity: number) =>
      adPlan(planVideo({ prompt, durationS: 60, creativity })).beats.map((beat) => `${beat.id}:${beat.durationS}`);
    const changed = prompts.filter((prompt) => sequence(prompt, 0).join() !== sequence(prompt, 1).join());
    expect(changed.length).toBeGreaterThanOrEqual(3);
  });

  it('gives the pipeline one scene per beat with the flavor negative prompt', () => {
    const plan = adPlan(planVideo({ prompt: 'A luxury watch', durationS: 25 }));
    const scenes = planScenes(plan);
    expect(scenes.map((scene) => scene.beatId)).toEqual(plan.beats.map((beat) => beat.id));
    expect(scenes.map((scene) => scene.startS)).toEqual(plan.beats.map((beat) => beat.startS));
    expect(scenes[0]).toMatchObject({ index: 0, title: plan.beats[0]?.title, negativePrompt: plan.negativePrompt });
    expect(plan.negativePrompt).toMatch(/blurry/);
  });
});
