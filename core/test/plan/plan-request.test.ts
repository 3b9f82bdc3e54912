import { describe, expect, it } from 'vitest';
import { createScenes, planVideo } from '../../src/plan/index.js';
import { userErrorOf } from './helpers.js';

describe('planVideo input checks', () => {
  it.each(['', '   ', '\n\t  '])('refuses an empty prompt %j with empty_prompt', (prompt) => {
    const error = userErrorOf(() => planVideo({ prompt }));
    expect(error.code).toBe('empty_prompt');
    expect(error.message).toMatch(/prompt is empty: describe the video you want/);
  });

  it('refuses a 2001-character prompt with prompt_too_long and accepts 2000', () => {
    const error = userErrorOf(() => planVideo({ prompt: 'a'.repeat(2001) }));
    expect(error.code).toBe('prompt_too_long');
    expect(error.message).toBe('The prompt is 2001 characters long; shorten it to 2000 characters or fewer.');
    expect(planVideo({ prompt: `luxury watch ${'a'.repeat(1986)}` }).durationS).toBe(15);
  });

  it('says exactly what durations are allowed', () => {
    const error = userErrorOf(() => planVideo({ prompt: 'a watch ad', durationS: 3 }));
    expect(error.code).toBe('invalid_duration');
    expect(error.message).toBe('Duration must be a multiple of 5 seconds between 5 and 120; got 3');
  });

  it.each([0, 3, 7, 125, 500, Number.NaN, 12.5, -5, Number.POSITIVE_INFINITY, '10', '15 seconds', true, {}])(
    'refuses duration %j with invalid_duration',
    (durationS) => {
      const error = userErrorOf(() => planVideo({ prompt: 'a watch ad', durationS: durationS as number }));
      expect(error.code).toBe('invalid_duration');
      expect(error.message).toMatch(/^Duration must be a multiple of 5 seconds between 5 and 120; got /);
    },
  );

  it('shows a string duration quoted so the person sees it was text', () => {
    expect(userErrorOf(() => planVideo({ prompt: 'x', durationS: '10' as unknown as number })).message).toMatch(
      /got "10"$/,
    );
  });

  it('uses 15 seconds when no duration is given, and honours every valid one exactly', () => {
    expect(planVideo({ prompt: 'a watch ad' }).durationS).toBe(15);
    expect(planVideo({ prompt: 'a watch ad', durationS: null as unknown as number }).durationS).toBe(15);
    for (const durationS of [5, 35, 120])
      expect(planVideo({ prompt: 'a watch ad', durationS }).durationS).toBe(durationS);
  });

  it.each([2, -0.1, 1.01, Number.NaN, '0.5'])('refuses creativity %j with invalid_creativity', (creativity) => {
    const error = userErrorOf(() => planVideo({ prompt: 'a watch ad', creativity: creativity as number }));
    expect(error.code).toBe('invalid_creativity');
    expect(error.message).toMatch(/^Creativity must be a number from 0 to 1; got /);
  });

  it('refuses an unknown mode, naming the modes', () => {
    const error = userErrorOf(() => planVideo({ prompt: 'x', mode: 'slideshow' as 'ad' }));
    expect(error.code).toBe('invalid_mode');
    expect(error.message).toContain('ad, music_video');
  });

  it('refuses a flavor name that could leave the flavors folder', () => {
    const error = userErrorOf(() => planVideo({ prompt: 'x', flavor: '../../etc' }));
    expect(error.code).toBe('invalid_flavor');
    expect(error.details?.available).toEqual(expect.arrayContaining(['default', 'cinematic']));
  });
});

describe('createScenes input checks', () => {
  it('applies the same rules to the idea and the duration', () => {
    expect(userErrorOf(() => createScenes({ idea: ' ', durationS: 10 })).code).toBe('empty_prompt');
    expect(userErrorOf(() => createScenes({ idea: ' ', durationS: 10 })).message).toMatch(/^The idea is empty/);
    expect(userErrorOf(() => createScenes({ idea: 'x'.repeat(2001), durationS: 10 })).code).toBe('prompt_too_long');
    expect(userErrorOf(() => createScenes({ idea: 'rain', durationS: 7 })).code).toBe('invalid_duration');
  });

  it('refuses a character description that is too long or not text', () => {
    const long = userErrorOf(() =>
      createScenes({ idea: 'rain', durationS: 10, characterDescription: 'x'.repeat(501) }),
    );
    expect(long.code).toBe('character_description_too_long');
    const notText = userErrorOf(() =>
      createScenes({ idea: 'rain', durationS: 10, characterDescription: 42 as unknown as string }),
    );
    expect(notText.code).toBe('invalid_character_description');
  });
});
