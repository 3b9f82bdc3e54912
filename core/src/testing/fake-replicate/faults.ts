import type { FakeFaultRule, FakeFaults } from './types.js';

/** The default E005 message Replicate gives flagged inputs or outputs. */
export const MODERATION_ERROR =
  'The input or output was flagged as sensitive. Please try again with different inputs. (E005)';

/** A fresh fault configuration: nothing fails, outputs live one hour. */
export function createFaults(initial: Partial<FakeFaults> = {}): FakeFaults {
  return { global: initial.global ?? {}, models: initial.models ?? {}, outputTtlMs: initial.outputTtlMs ?? 3_600_000 };
}

/** The rules that apply to `model` (`owner/name`), most specific first. */
export function rulesFor(faults: FakeFaults, model: string | undefined): FakeFaultRule[] {
  const own = model === undefined ? undefined : faults.models[model];
  return own ? [own, faults.global] : [faults.global];
}

type CountedFault = 'throttle' | 'serverErrors';

/** Consumes one use of a counted fault from the first rule that has one left; returns it (a copy) or undefined. */
export function takeCounted<K extends CountedFault>(
  rules: FakeFaultRule[],
  kind: K,
): NonNullable<FakeFaultRule[K]> | undefined {
  for (const rule of rules) {
    const fault = rule[kind];
    if (fault && fault.count > 0) {
      fault.count -= 1;
      return { ...fault } as NonNullable<FakeFaultRule[K]>;
    }
  }
  return undefined;
}

/** Consumes one connection reset after create, when one is armed. */
export function takeReset(rules: FakeFaultRule[]): boolean {
  for (const rule of rules) {
    if (rule.resetAfterCreate && rule.resetAfterCreate > 0) {
      rule.resetAfterCreate -= 1;
      return true;
    }
  }
  return false;
}

/** The 422 detail for this create, consuming one use; undefined when no invalid-input fault is armed. */
export function takeInvalidInput(rules: FakeFaultRule[]): string | undefined {
  for (const rule of rules) {
    const fault = rule.invalidInput;
    if (!fault || fault.count === 0) continue;
    if (fault.count !== undefined) fault.count -= 1;
    return fault.detail;
  }
  return undefined;
}

/**
 * The error a new prediction is destined to fail with (moderation first, then plain failures),
 * consuming one use; undefined when it should succeed. `hasImage`: the input carries a first frame.
 */
export function takeFailure(rules: FakeFaultRule[], hasImage: boolean): string | undefined {
  for (const rule of rules) {
    const moderation = rule.moderation;
    if (moderation && moderation.count !== 0) {
      if (moderation.count !== undefined) moderation.count -= 1;
      return moderation.error ?? MODERATION_ERROR;
    }
    const fail = rule.fail;
    if (fail && fail.count !== 0 && (!fail.withImageOnly || hasImage)) {
      if (fail.count !== undefined) fail.count -= 1;
      return fail.error;
    }
  }
  return undefined;
}

/** The largest of the applicable fixed delays (`latencyMs` or `createResponseDelayMs`), 0 when none. */
export function maxDelay(rules: FakeFaultRule[], kind: 'latencyMs' | 'createResponseDelayMs'): number {
  return Math.max(0, ...rules.map((rule) => rule[kind] ?? 0));
}

/** The body of a 429: Replicate's wording, saying when the limit resets. */
export function throttleBody(retryAfterS: number, style: 'expected' | 'resets' = 'expected'): string {
  const detail =
    style === 'resets'
      ? `Request was throttled. Your rate limit resets in ~${retryAfterS}s.`
      : `Request was throttled. Expected available in ${retryAfterS} seconds.`;
  return JSON.stringify({ title: 'Request was throttled', detail, status: 429 });
}
