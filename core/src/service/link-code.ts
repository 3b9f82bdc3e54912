import { createHash, randomBytes } from 'node:crypto';

/**
 * 32 symbols: digits and capitals without 0, 1, I and O, so a code read off one screen and typed
 * into another survives. 32 = 2^5, so each random byte's low 5 bits pick a symbol without bias.
 */
export const LINK_CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/** 8 symbols × 5 bits = 40 bits: with 5 wrong tries a minute per identity, guessing is hopeless. */
export const LINK_CODE_LENGTH = 8;

const VALID = new RegExp(`^[${LINK_CODE_ALPHABET}]{${LINK_CODE_LENGTH}}$`);

/** A fresh random code, normalised (8 symbols, no dash). */
export function newLinkCode(): string {
  return [...randomBytes(LINK_CODE_LENGTH)].map((byte) => LINK_CODE_ALPHABET[byte & 31]).join('');
}

/** How a code is shown: `ABCD-EFGH`. */
export function formatLinkCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * The code as typed, normalised: case, spaces and dashes do not matter (`abcd efgh`, `ABCD-EFGH`).
 * Undefined when it cannot be a code (wrong length, a symbol outside the alphabet).
 */
export function normalizeLinkCode(typed: unknown): string | undefined {
  if (typeof typed !== 'string') return undefined;
  const code = typed.toUpperCase().replace(/[\s\-–—]/g, '');
  return VALID.test(code) ? code : undefined;
}

/**
 * What is stored instead of the code, so a live code never sits in plain text in the database, its
 * backups or a query log. A plain SHA-256 suffices: whoever could read the table can read every
 * video anyway, and a code is dead 10 minutes later.
 */
export function hashLinkCode(code: string): string {
  return createHash('sha256').update(`reelsmith-link-code:${code}`).digest('hex');
}
