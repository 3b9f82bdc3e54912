import { UserError } from '../errors.js';

/** The longest lifetime S3 accepts for a presigned URL (7 days), in seconds. */
export const MAX_PRESIGN_TTL_S = 604_800;

/**
 * Returns `ttlS` when it is a whole number of seconds in 1..`maxS`.
 * Throws UserError `invalid_presign_ttl` otherwise.
 */
export function assertValidPresignTtl(ttlS: number, maxS: number = MAX_PRESIGN_TTL_S): number {
  if (!Number.isSafeInteger(ttlS) || ttlS <= 0 || ttlS > maxS) {
    throw new UserError(
      'invalid_presign_ttl',
      `URL lifetime must be a whole number of seconds from 1 to ${maxS}, got ${String(ttlS)}`,
      { details: { ttlS, maxS } },
    );
  }
  return ttlS;
}
