import { UserError } from '../errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a canonical (dashed, hex) UUID: the only form ids are given out in. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * Refuses an id that is not a UUID before it reaches Postgres (which would fail with 22P02).
 * @throws UserError `invalid_id`.
 */
export function assertUuid(value: unknown, what: string): asserts value is string {
  if (isUuid(value)) return;
  const shown = String(value).slice(0, 40);
  throw new UserError('invalid_id', `"${shown}" is not a valid ${what} id.`, { details: { what } });
}
