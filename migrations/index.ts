import type { Migration } from 'kysely';
import { m0001_initial } from './0001_initial.js';

/**
 * Every migration, registered by hand (no glob loading). Names sort in the order they run;
 * migrations are forward-only and never edited once released.
 */
export const migrations: Record<string, Migration> = {
  '0001_initial': m0001_initial,
};
