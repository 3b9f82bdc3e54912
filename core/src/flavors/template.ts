import { z } from 'zod';
import { PermanentError } from '../errors.js';

const SLOT = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** The distinct slot names (`{name}`) in `template`, in order of first appearance. */
export function templateSlots(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(SLOT)) names.add(match[1] as string);
  return [...names];
}

/** Values for a template's slots; numbers are written in decimal. */
export type TemplateValues = Readonly<Record<string, string | number>>;

/**
 * Replaces every `{slot}` in `template` with its value in one pass: a value that itself contains
 * `{...}` is inserted as written, never expanded. Whitespace is collapsed and stray spaces before
 * punctuation removed, so an empty value leaves no gap.
 * @throws PermanentError when a slot has no value (templates are validated at load, so this is a bug).
 */
export function fillTemplate(template: string, values: TemplateValues): string {
  const filled = template.replace(SLOT, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new PermanentError(`Template slot {${name}} has no value in "${template}"`);
    return String(value);
  });
  return tidyText(filled);
}

/** Collapses whitespace, drops spaces before punctuation and repeated commas, trims leading commas. */
export function tidyText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.;:!?])/g, '$1')
    .replace(/,(\s*,)+/g, ',')
    .replace(/^[\s,;:]+/, '')
    .trim();
}

/**
 * A zod string schema for a template that may use only `allowed` slots and must use every
 * `required` one; the issue names the offending slot and lists the allowed ones.
 */
export function templateSchema(allowed: readonly string[], required: readonly string[] = []): z.ZodString {
  return z.string().superRefine((template, ctx) => {
    for (const slot of templateSlots(template)) {
      if (!allowed.includes(slot)) {
        const known = allowed.length > 0 ? allowed.map((s) => `{${s}}`).join(', ') : 'none';
        ctx.addIssue({ code: 'custom', message: `unknown slot {${slot}}; known slots: ${known}` });
      }
    }
    for (const slot of required) {
      if (!template.includes(`{${slot}}`)) ctx.addIssue({ code: 'custom', message: `must contain the {${slot}} slot` });
    }
  });
}
