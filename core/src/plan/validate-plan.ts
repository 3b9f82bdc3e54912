import { UserError } from '../errors.js';
import type { BeatLibrary } from './library.js';
import { type AdPlan, type MusicVideoPlan, type Plan, PlanSchema } from './schema.js';

/** What is wrong with a plan: `schema` (a field), or a rule spanning fields. */
export type PlanIssueCode =
  | 'schema'
  | 'unknown_beat'
  | 'start_mismatch'
  | 'duration_mismatch'
  | 'scene_index'
  | 'character_missing';

/** One problem, with the field's path (`beats[2].startS`) and a sentence a person (or an LLM) can act on. */
export interface PlanIssue {
  code: PlanIssueCode;
  path: string;
  message: string;
}

/** `ok` with the parsed plan, or every issue found. */
export type PlanValidation = { ok: true; plan: Plan; issues: [] } | { ok: false; issues: PlanIssue[] };

/**
 * Checks a plan from any planner: the schema (durations ∈ {5,10,15}, camera movements, palette…),
 * then that beat ids exist in `library`, beats (or scenes) start at 0 and follow each other without
 * gap or overlap, their lengths sum exactly to `durationS`, scene indexes run 0…n−1, and every
 * music-video scene description contains the character description.
 */
export function validatePlan(plan: unknown, library: BeatLibrary): PlanValidation {
  const parsed = PlanSchema.safeParse(plan);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      code: 'schema' as const,
      path: formatPath(issue.path),
      message: issue.message,
    }));
    return { ok: false, issues };
  }
  const issues = parsed.data.mode === 'ad' ? adIssues(parsed.data, library) : musicVideoIssues(parsed.data);
  return issues.length === 0 ? { ok: true, plan: parsed.data, issues: [] } : { ok: false, issues };
}

/**
 * `validatePlan`, throwing instead of returning issues.
 * @throws UserError `invalid_plan` listing the issues (also in `details.issues`).
 */
export function assertValidPlan(plan: unknown, library: BeatLibrary): Plan {
  const result = validatePlan(plan, library);
  if (result.ok) return result.plan;
  const listed = result.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  throw new UserError('invalid_plan', `The plan is not valid: ${listed}`, { details: { issues: result.issues } });
}

function adIssues(plan: AdPlan, library: BeatLibrary): PlanIssue[] {
  const issues: PlanIssue[] = [];
  plan.beats.forEach((beat, index) => {
    if (!library.beats.has(beat.id)) {
      issues.push({
        code: 'unknown_beat',
        path: `beats[${index}].id`,
        message: `unknown beat "${beat.id}"; use one of ${[...library.beats.keys()].join(', ')}`,
      });
    }
  });
  return [...issues, ...timelineIssues('beats', plan.beats, plan.durationS)];
}

function musicVideoIssues(plan: MusicVideoPlan): PlanIssue[] {
  const issues: PlanIssue[] = [];
  plan.scenes.forEach((scene, index) => {
    if (scene.index !== index) {
      issues.push({
        code: 'scene_index',
        path: `scenes[${index}].index`,
        message: `is ${scene.index}; expected ${index}`,
      });
    }
    if (!scene.description.includes(plan.characterDescription)) {
      issues.push({
        code: 'character_missing',
        path: `scenes[${index}].description`,
        message: 'must contain the character description word for word',
      });
    }
  });
  return [...issues, ...timelineIssues('scenes', plan.scenes, plan.durationS)];
}

function timelineIssues(
  list: string,
  items: ReadonlyArray<{ startS: number; durationS: number }>,
  durationS: number,
): PlanIssue[] {
  const issues: PlanIssue[] = [];
  let expectedStart = 0;
  items.forEach((item, index) => {
    if (item.startS !== expectedStart) {
      const after = index === 0 ? 'the first starts at 0' : `it follows one ending at ${expectedStart} s`;
      issues.push({
        code: 'start_mismatch',
        path: `${list}[${index}].startS`,
        message: `is ${item.startS}; expected ${expectedStart} (${after})`,
      });
    }
    expectedStart += item.durationS;
  });
  if (expectedStart !== durationS) {
    issues.push({
      code: 'duration_mismatch',
      path: list,
      message: `${list} add up to ${expectedStart} s but the video is ${durationS} s`,
    });
  }
  return issues;
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
  return out === '' ? '(plan)' : out;
}
