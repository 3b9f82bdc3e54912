import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tidyText } from '../../src/flavors/template.js';
import { CAMERA_MOVES } from '../../src/media/image-to-clip.js';
import { loadBeatLibrary, type PlanRequest, planScenes, planVideo, validatePlan } from '../../src/plan/index.js';

const library = loadBeatLibrary();
const WORDS = [
  'luxury',
  'watch',
  'sneakers',
  'energetic',
  'fresh',
  'organic',
  'coffee',
  'app',
  'for',
  'a',
  'the',
  'in',
  'on',
  'beach',
  'woman',
  'athletes',
  'running',
  'gold',
  'red',
  'calm',
  'party',
  'with',
  'ad',
  'Nike',
  'of',
  'city',
  '30',
  'second',
  '{product}',
  'café',
  '—',
  'at',
  'night',
  'through',
  'family',
  'new',
  'phone',
  'perfume',
  'showing',
];
const text = (max: number) =>
  fc.string({ minLength: 1, maxLength: max, unit: 'grapheme' }).filter((s) => s.trim() !== '');
const prompts = fc.oneof(
  fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 14 }).map((words) => words.join(' ')),
  text(200),
  fc.string({ minLength: 1, maxLength: 60 }).filter((s) => s.trim() !== ''),
);
const requests: fc.Arbitrary<PlanRequest> = fc.record(
  {
    prompt: prompts,
    durationS: fc.integer({ min: 1, max: 24 }).map((n) => n * 5),
    mode: fc.constantFrom('ad' as const, 'music_video' as const),
    creativity: fc.double({ min: 0, max: 1, noNaN: true }),
    hasImage: fc.boolean(),
    flavor: fc.constantFrom('default', 'cinematic', 'no-such-flavor'),
    characterDescription: fc.oneof(text(80), fc.constantFrom('a woman in a yellow raincoat', 'a tall man , in  black')),
  },
  { requiredKeys: ['prompt'] },
);
const RUNS = { numRuns: 400 };

describe('planVideo properties', () => {
  it('composes beats of 5/10/15 s, contiguous from 0, summing exactly to the duration, from the library', () => {
    fc.assert(
      fc.property(requests, (request) => {
        const plan = planVideo({ ...request, mode: 'ad' });
        if (plan.mode !== 'ad') throw new Error('expected an ad plan');
        expect(plan.durationS).toBe(request.durationS ?? 15);
        let startS = 0;
        for (const beat of plan.beats) {
          expect([5, 10, 15]).toContain(beat.durationS);
          expect(beat.startS).toBe(startS);
          expect(library.beats.has(beat.id)).toBe(true);
          expect(CAMERA_MOVES).toContain(beat.cameraMovement);
          startS += beat.durationS;
        }
        expect(startS).toBe(plan.durationS);
        expect(library.beats.get(plan.beats[0]?.id ?? '')?.typicalPosition).toBe('opening');
        if (plan.beats.length >= 2)
          expect(library.beats.get(plan.beats.at(-1)?.id ?? '')?.typicalPosition).toBe('closing');
        expect(validatePlan(plan, library)).toMatchObject({ ok: true });
      }),
      RUNS,
    );
  });

  it('gives a deep-equal plan for the same input, in either mode', () => {
    fc.assert(
      fc.property(requests, (request) => {
        expect(planVideo(structuredClone(request))).toEqual(planVideo(structuredClone(request)));
      }),
      RUNS,
    );
  });

  it('makes music-video scenes that sum exactly and all show the character', () => {
    fc.assert(
      fc.property(requests, (request) => {
        const plan = planVideo({ ...request, mode: 'music_video' });
        if (plan.mode !== 'music_video') throw new Error('expected a music video plan');
        const given = tidyText(request.characterDescription ?? '');
        if (given !== '') expect(plan.characterDescription).toBe(given);
        let startS = 0;
        for (const [index, scene] of plan.scenes.entries()) {
          expect(scene.index).toBe(index);
          expect(scene.startS).toBe(startS);
          expect([5, 10, 15]).toContain(scene.durationS);
          expect(scene.description).toContain(plan.characterDescription);
          expect(CAMERA_MOVES).toContain(scene.cameraMovement);
          startS += scene.durationS;
        }
        expect(startS).toBe(plan.durationS);
        expect(validatePlan(plan, library)).toMatchObject({ ok: true });
        expect(planScenes(plan).map((scene) => scene.durationS)).toEqual(plan.scenes.map((scene) => scene.durationS));
      }),
      RUNS,
    );
  });
});
