import { pino } from 'pino';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { PermanentError, UserError } from '../errors.js';
import { createLogger } from '../log.js';
import { openDatabase } from './connect.js';
import { migrateToLatest } from './migrate.js';

/**
 * `npm run migrate`: applies pending migrations to DATABASE_URL, or to PGlite under DATA_DIR.
 * Prints one line to stdout and exits 0, or one line to stderr and exits 1 (the stack goes to a
 * stderr log only with LOG_LEVEL=debug or trace).
 */
async function main(): Promise<number> {
  let config: Config | undefined;
  try {
    config = loadConfig(process.env);
    const { db, kind, location, close } = await openDatabase(config);
    try {
      const { applied } = await migrateToLatest(db);
      const outcome = applied.length > 0 ? `applied: ${applied.join(', ')}` : 'already up to date';
      process.stdout.write(`Migrated ${kind} at ${location} (${outcome})\n`);
    } finally {
      await close();
    }
    return 0;
  } catch (error) {
    process.stderr.write(`${describe(error)}\n`);
    const level = config?.logLevel;
    if (level === 'debug' || level === 'trace') {
      const err = error instanceof Error ? pino.stdSerializers.errWithCause(error) : error;
      createLogger({ level, destination: 'stderr', pretty: false }).debug({ err }, 'migrate failed');
    }
    return 1;
  }
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.replace(/\s+/g, ' ').trim();
  const known = error instanceof UserError || error instanceof PermanentError || error instanceof ConfigError;
  return known ? line : `Migration failed: ${line}`;
}

process.exitCode = await main();
