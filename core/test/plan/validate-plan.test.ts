import { describe, expect, it } from 'vitest';
import {
  type AdPlan,
  assertValidPlan,
  loadBeatLibrary,
  type MusicVideoPlan,
  planVideo,
  validatePlan,
} from '../../src/plan/index.js';
import { userErrorOf } from './helpers.js';

const library = loadBeatLibrary();
const adPlan = planVideo({ prompt: 'A luxury watch', durationS: 20, creativity: 0 }) as AdPlan;
const musicPlan = planVideo({
  prompt: 'rain in Tokyo',
  mode: 'music_video',
  durationS: 15,
  characterDescription: 'a woman in a yellow raincoat',
}) as MusicVideoPlan;

function issuesOf(plan: unknown) {
  const result = validatePlan(plan, library);
  if (result.ok) throw new Error('expected the plan to be refused');
  return result.issues;
}

describe('validatePlan', () => {
  it('accepts the planners own plans and returns them parsed', () => {
    expect(validatePlan(adPlan, library)).toEqual({ ok: true, plan: adPlan, issues: [] });
    expect(validatePlan(musicPlan, library)).toMatchObject({ ok: true });
  });

  it('refuses a beat id that is not in the library, listing the valid ones', () => {
    const plan = structuredClone(adPlan);
    (plan.beats[1] as { id: string }).id = 'drone_flyover';
    const [issue] = issuesOf(plan);
    expect(issue).toMatchObject({ code: 'unknown_beat', path: 'beats[1].id' });
    expect(issue?.message).toContain('hero_shot');
  });

  it('refuses a beat length outside 5, 10 and 15 seconds', () => {
    const plan = structuredClone(adPlan) as unknown as { beats: Array<{ durationS: number }> };
    (plan.beats[0] as { durationS: number }).durationS = 7;
    expect(issuesOf(plan)).toEqual([expect.objectContaining({ code: 'schema', path: 'beats[0].durationS' })]);
  });

  it('refuses beats that leave a gap or do not add up to the duration', () => {
    const gap = structuredClone(adPlan);
    (gap.beats[1] as { startS: number }).startS += 5;
    expect(issuesOf(gap)).toEqual([
      expect.objectContaining({
        code: 'start_mismatch',
        path: 'beats[1].startS',
        message: 'is 10; expected 5 (it follows one ending at 5 s)',
      }),
    ]);
    const short = { ...structuredClone(adPlan), durationS: 25 };
    expect(issuesOf(short)).toEqual([
      expect.objectContaining({ code: 'duration_mismatch', message: 'beats add up to 20 s but the video is 25 s' }),
    ]);
  });

  it('refuses an unknown camera movement and a bad palette colour by field', () => {
    const plan = structuredClone(adPlan) as unknown as Record<string, unknown> & AdPlan;
    (plan.beats[0] as { cameraMovement: string }).cameraMovement = 'crane_up';
    plan.style.palette = ['red', '#000000'];
    expect(issuesOf(plan).map((issue) => issue.path)).toEqual(['style.palette[0]', 'beats[0].cameraMovement']);
  });

  it('refuses a music-video scene whose description lost the character', () => {
    const plan = structuredClone(musicPlan);
    (plan.scenes[1] as { description: string }).description = 'an empty street in the rain';
    expect(issuesOf(plan)).toEqual([
      expect.objectContaining({ code: 'character_missing', path: 'scenes[1].description' }),
    ]);
  });

  it('assertValidPlan throws invalid_plan with the issues as details', () => {
    const error = userErrorOf(() => assertValidPlan({ ...adPlan, durationS: 25 }, library));
    expect(error.code).toBe('invalid_plan');
    expect(error.message).toContain('beats add up to 20 s but the video is 25 s');
    expect(error.details?.issues).toEqual([expect.objectContaining({ code: 'duration_mismatch' })]);
  });
});
