import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../../../core/test/helpers/postgres.js';

/** The bin a client runs, as `npx reelsmith-mcp` would. */
export const BIN = new URL('../../bin/reelsmith-mcp.js', import.meta.url).pathname;

export interface ChildEnvironment {
  env: Record<string, string>;
  database: TestDatabase;
  dataDir: string;
  cleanup(): Promise<void>;
}

/** A fresh Postgres database and data folder for a spawned server, and the environment that points at them. */
export async function childEnvironment(extra: Record<string, string> = {}): Promise<ChildEnvironment> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'reelsmith-mcp-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dataDir,
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  };
  return {
    env,
    database,
    dataDir,
    async cleanup() {
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
