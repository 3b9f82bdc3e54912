/** One line of card text, centred horizontally, its baseline at `baseline` pixels from the top. */
export interface CardLine {
  text: string;
  /** Font size in pixels. */
  size: number;
  baseline: number;
}

/** Where everything on a card goes, in pixels. */
export interface CardLayout {
  /** Title lines then prompt lines, top to bottom. */
  lines: CardLine[];
  /** A translucent band behind the lines, so they read on light and busy backgrounds. */
  scrim: { y: number; height: number };
  margin: number;
  /** Font size of the "ANIMATIC PREVIEW" badge and the variant number. */
  badgeSize: number;
}

/** Average advance of a DejaVu Sans glyph in ems, rounded up so wrapped lines stay inside the card. */
const GLYPH_EM = 0.6;
const TITLE_LINES = 2;
const PROMPT_LINES = 4;
const ELLIPSIS = '…';

/**
 * Lays a card out: the title (up to two lines, large) above the prompt (up to four lines), the block
 * centred in the space above the badge row; lines are word-wrapped to fit the width and the last one
 * ends in "…" when the text is longer. Without a title the prompt is set larger.
 */
export function layoutCard(width: number, height: number, text: { title?: string; prompt: string }): CardLayout {
  const margin = Math.max(4, Math.round(Math.min(width, height) * 0.06));
  const badgeSize = Math.max(9, Math.round(height / 26));
  const usableWidth = width - 2 * margin;
  const title = cleanText(text.title ?? '');
  const prompt = cleanText(text.prompt);
  const titleSize = fitSize(Math.max(14, Math.round(height / 9)), usableWidth);
  const promptSize = fitSize(Math.max(10, Math.round(height / (title ? 20 : 14))), usableWidth);
  const titleLines = wrapText(title, charsPerLine(usableWidth, titleSize), TITLE_LINES);
  const top = margin;
  const bottom = height - margin - Math.round(badgeSize * 2.2);
  const titleHeight = titleLines.length * titleSize * 1.2;
  const gap = titleLines.length > 0 ? promptSize * 0.6 : 0;
  const roomForPrompt = Math.floor((bottom - top - titleHeight - gap) / (promptSize * 1.35));
  const promptLines = wrapText(prompt, charsPerLine(usableWidth, promptSize), clamp(roomForPrompt, 1, PROMPT_LINES));
  const blockHeight = titleHeight + (promptLines.length > 0 ? gap + promptLines.length * promptSize * 1.35 : 0);
  const blockTop = top + Math.max(0, (bottom - top - blockHeight) / 2);
  const lines: CardLine[] = [];
  let cursor = blockTop;
  for (const line of titleLines) {
    lines.push({ text: line, size: titleSize, baseline: Math.round(cursor + titleSize * 0.95) });
    cursor += titleSize * 1.2;
  }
  cursor += promptLines.length > 0 ? gap : 0;
  for (const line of promptLines) {
    lines.push({ text: line, size: promptSize, baseline: Math.round(cursor + promptSize * 1.05) });
    cursor += promptSize * 1.35;
  }
  const pad = Math.round(margin * 0.6);
  const scrimY = Math.max(0, Math.round(blockTop) - pad);
  return { lines, scrim: { y: scrimY, height: Math.round(blockHeight) + 2 * pad }, margin, badgeSize };
}

/**
 * Splits `text` into at most `maxLines` lines of at most `maxChars` characters, breaking between words
 * (a word longer than a line is cut). When the text does not fit, the last line ends in "…".
 */
export function wrapText(text: string, maxChars: number, maxLines: number): string[] {
  const width = Math.max(1, Math.floor(maxChars));
  const words = cleanText(text)
    .split(' ')
    .filter((word) => word.length > 0)
    .flatMap((word) => chop(word, width));
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    const candidate = current ? `${current} ${word}` : word;
    if (candidate.length <= width) {
      current = candidate;
      continue;
    }
    lines.push(current);
    current = word;
    if (lines.length === maxLines) return withEllipsis(lines, width, true);
  }
  if (current) lines.push(current);
  if (lines.length > maxLines) return withEllipsis(lines.slice(0, maxLines), width, true);
  return lines;
}

/** `text` on one line: control characters and runs of whitespace become single spaces, trimmed. */
export function cleanText(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function withEllipsis(lines: string[], width: number, truncated: boolean): string[] {
  const last = lines.at(-1);
  if (!truncated || last === undefined) return lines;
  const room = Math.max(0, width - ELLIPSIS.length);
  const cut = last.length > room ? last.slice(0, room).trimEnd() : last;
  lines[lines.length - 1] = `${cut}${ELLIPSIS}`;
  return lines;
}

function chop(word: string, width: number): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < word.length; start += width) pieces.push(word.slice(start, start + width));
  return pieces;
}

function charsPerLine(usableWidth: number, size: number): number {
  return Math.max(1, Math.floor(usableWidth / (size * GLYPH_EM)));
}

function fitSize(size: number, usableWidth: number): number {
  const minChars = 12;
  return Math.max(6, Math.min(size, Math.floor(usableWidth / (minChars * GLYPH_EM))));
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
