import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../src/errors.js';
import { fillTemplate, templateSchema, templateSlots } from '../../src/flavors/index.js';

describe('fillTemplate', () => {
  it('fills each slot once and never expands braces inside a value', () => {
    expect(fillTemplate('{a} and {b}', { a: '{b}', b: 2 })).toBe('{b} and 2');
  });

  it('leaves no gap or stray comma where a value is empty', () => {
    expect(
      fillTemplate('{prefix} close-up of {product} , {suffix}', { prefix: '', product: 'a watch', suffix: '' }),
    ).toBe('close-up of a watch,');
  });

  it('throws when a slot has no value', () => {
    expect(() => fillTemplate('{missing}', {})).toThrow(PermanentError);
  });
});

describe('templateSchema', () => {
  const schema = templateSchema(['camera', 'shot'], ['camera']);

  it('accepts known slots and names unknown or missing ones', () => {
    expect(schema.safeParse('{shot}, {camera}').success).toBe(true);
    const messages = schema.safeParse('{lens}').error?.issues.map((issue) => issue.message);
    expect(messages).toEqual(['unknown slot {lens}; known slots: {camera}, {shot}', 'must contain the {camera} slot']);
    expect(templateSlots('{a}{b}{a}')).toEqual(['a', 'b']);
  });
});
