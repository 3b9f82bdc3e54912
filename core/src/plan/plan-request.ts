import { UserError } from '../errors.js';
import { tidyText } from '../flavors/template.js';
import { MAX_DURATION_S, MIN_DURATION_S, PLAN_MODES, type PlanMode } from './schema.js';

/** What a front asks the planner for. Values arrive from people, so every field is checked at run time. */
export interface PlanRequest {
  prompt: string;
  /** Seconds, a multiple of 5 from 5 to 120; default 15. Always honoured exactly. */
  durationS?: number | undefined;
  /** Default `ad`. */
  mode?: PlanMode | undefined;
  /** 0 (follow the archetype closely) to 1 (vary beats and lengths more); default: the flavor's. */
  creativity?: number | undefined;
  /** The user gave a reference image (of the product, for ads). */
  hasImage?: boolean | undefined;
  flavor?: string | undefined;
  /** Music videos: who appears in every scene. */
  characterDescription?: string | undefined;
}

export const DEFAULT_DURATION_S = 15;
export const MAX_PROMPT_CHARS = 2000;
export const MAX_CHARACTER_CHARS = 500;

/**
 * The trimmed text of a prompt (or a music video's idea, named by `noun`).
 * @throws UserError `empty_prompt` (empty or only whitespace), `prompt_too_long` (over 2000 characters).
 */
export function checkPrompt(value: unknown, noun = 'prompt'): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') {
    throw new UserError('empty_prompt', `The ${noun} is empty: describe the video you want, e.g. "a luxury watch ad".`);
  }
  const length = [...text].length;
  if (length > MAX_PROMPT_CHARS) {
    throw new UserError(
      'prompt_too_long',
      `The ${noun} is ${length} characters long; shorten it to ${MAX_PROMPT_CHARS} characters or fewer.`,
      { details: { length, max: MAX_PROMPT_CHARS } },
    );
  }
  return text;
}

/**
 * The video length in seconds; `undefined` or `null` (not given) gives 15.
 * @throws UserError `invalid_duration` for anything but an integer multiple of 5 from 5 to 120.
 */
export function checkDuration(value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_DURATION_S;
  const valid =
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value % 5 === 0 &&
    value >= MIN_DURATION_S &&
    value <= MAX_DURATION_S;
  if (valid) return value;
  throw new UserError(
    'invalid_duration',
    `Duration must be a multiple of 5 seconds between ${MIN_DURATION_S} and ${MAX_DURATION_S}; got ${shown(value)}`,
    { details: { min: MIN_DURATION_S, max: MAX_DURATION_S, step: 5 } },
  );
}

/**
 * The creativity, or `undefined` when not given (`undefined` or `null`).
 * @throws UserError `invalid_creativity` for anything but a number from 0 to 1.
 */
export function checkCreativity(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && value >= 0 && value <= 1) return value;
  throw new UserError('invalid_creativity', `Creativity must be a number from 0 to 1; got ${shown(value)}`);
}

/** The mode; not given (`undefined` or `null`) is `ad`. @throws UserError `invalid_mode` naming the modes. */
export function checkMode(value: unknown): PlanMode {
  if (value === undefined || value === null) return 'ad';
  if (PLAN_MODES.includes(value as PlanMode)) return value as PlanMode;
  throw new UserError('invalid_mode', `Mode must be one of ${PLAN_MODES.join(', ')}; got ${shown(value)}`, {
    details: { modes: [...PLAN_MODES] },
  });
}

/**
 * A character description tidied (`tidyText`: whitespace collapsed, no space before punctuation), or
 * `undefined` when absent or blank.
 * @throws UserError `invalid_character_description` (not text), `character_description_too_long` (over 500 characters).
 */
export function checkCharacterDescription(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new UserError('invalid_character_description', `The character description must be text; got ${shown(value)}`);
  }
  const text = tidyText(value);
  if (text === '') return undefined;
  const length = [...text].length;
  if (length > MAX_CHARACTER_CHARS) {
    throw new UserError(
      'character_description_too_long',
      `The character description is ${length} characters long; shorten it to ${MAX_CHARACTER_CHARS} or fewer.`,
    );
  }
  return text;
}

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return typeof value;
}
