import { describe, expect, it } from 'vitest';
import { cleanText, layoutCard, wrapText } from '../../../src/providers/animatic/card-layout.js';
import { DEFAULT_PALETTE, resolvePalette } from '../../../src/providers/animatic/palette.js';

describe('wrapText', () => {
  it('breaks between words within the line length', () => {
    expect(wrapText('a quick brown fox jumps over the lazy dog', 12, 5)).toEqual([
      'a quick',
      'brown fox',
      'jumps over',
      'the lazy dog',
    ]);
  });

  it('ends the last line in an ellipsis when the text does not fit', () => {
    const lines = wrapText('one two three four five six seven eight nine ten', 10, 2);
    expect(lines).toHaveLength(2);
    expect(lines.every((line) => line.length <= 10)).toBe(true);
    expect(lines.at(-1)?.endsWith('…')).toBe(true);
  });

  it('cuts a word longer than a line', () => {
    expect(wrapText('supercalifragilistic', 8, 3)).toEqual(['supercal', 'ifragili', 'stic']);
  });

  it('turns control characters and newlines into single spaces', () => {
    expect(cleanText(' a\n\tb\u0000c\r\n  d ')).toBe('a b c d');
  });
});

describe('layoutCard', () => {
  it('keeps every line inside the card, the title above the prompt', () => {
    const layout = layoutCard(320, 180, { title: 'Hero shot', prompt: 'word '.repeat(200) });
    expect(layout.lines.length).toBeGreaterThan(1);
    expect(layout.lines[0]?.text).toBe('Hero shot');
    for (const line of layout.lines) {
      expect(line.baseline).toBeGreaterThan(0);
      expect(line.baseline).toBeLessThan(180 - layout.badgeSize * 2);
      expect(line.text.length * line.size * 0.6).toBeLessThanOrEqual(320);
    }
    const baselines = layout.lines.map((line) => line.baseline);
    expect([...baselines].sort((a, b) => a - b)).toEqual(baselines);
  });
});

describe('resolvePalette', () => {
  it('keeps 2–5 #rrggbb colours, skipping bad entries, and falls back to the default', () => {
    expect(resolvePalette(['#FF0000', 'nope', '#00ff00'])).toEqual(['ff0000', '00ff00']);
    expect(resolvePalette(['#111111', '#222222', '#333333', '#444444', '#555555', '#666666'])).toHaveLength(5);
    expect(resolvePalette(['#ff8000'])).toEqual(['ff8000', '733a00']);
    expect(resolvePalette(undefined)).toEqual(DEFAULT_PALETTE.map((c) => c.slice(1)));
    expect(resolvePalette([])).toEqual(DEFAULT_PALETTE.map((c) => c.slice(1)));
  });
});
