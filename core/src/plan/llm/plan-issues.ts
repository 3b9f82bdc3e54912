import type { z } from 'zod';
import type { BeatLibrary } from '../library.js';
import type { Plan } from '../schema.js';
import { validatePlan } from '../validate-plan.js';

/** A completed LLM plan that passed every check, or the problems found, one sentence each. */
export type PlanCheck = { ok: true; plan: Plan } | { ok: false; issues: string[] };

/**
 * `validatePlan` (lengths of 5/10/15 s summing to the duration, beat ids in the library, the
 * character in every scene…) plus, for ads, an archetype id that exists in the library.
 * Issues read `path: problem`, fit to send back to the model.
 */
export function checkLlmPlan(plan: Plan, library: BeatLibrary): PlanCheck {
  const issues: string[] = [];
  if (plan.mode === 'ad' && !library.archetypes.has(plan.archetype)) {
    const known = [...library.archetypes.keys()].join(', ');
    issues.push(`archetype: unknown archetype "${plan.archetype}"; use one of ${known}`);
  }
  const validation = validatePlan(plan, library);
  if (!validation.ok) issues.push(...validation.issues.map((issue) => `${issue.path}: ${issue.message}`));
  return validation.ok && issues.length === 0 ? { ok: true, plan: validation.plan } : { ok: false, issues };
}

/** A zod error of the LLM-facing schema as `path: problem` lines. */
export function schemaIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
  return out === '' ? '(answer)' : out;
}
