// Creates a PGlite data directory (initdb) and exits. Run as a child process by `openPglite`, so
// the several hundred MB initdb needs are returned to the system when it ends instead of staying
// in the long-lived process that opens the database afterwards. Argument: the directory (it may
// exist, empty).
//
// initdb writes into a scratch folder beside it that is renamed into place only when complete, so
// nothing ever opens a half-made database: this child runs on when its parent exits early (the MCP
// server stopped right after `tools/list`), and a server started meanwhile finds either nothing or
// all of it. One initdb runs per directory: a second one waits for the first (a `.init-lock` file
// beside the directory names its process; a lock whose process is gone is taken over).
import { existsSync } from 'node:fs';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PGlite } from '@electric-sql/pglite';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: pglite-init.mjs <dir>\n');
  process.exit(2);
}
const made = () => existsSync(join(dir, 'PG_VERSION'));
const lock = `${dir}.init-lock`;

if (await lockOrWait()) {
  const scratch = `${dir}.init-${process.pid}`;
  try {
    if (!made()) {
      const db = await PGlite.create(scratch);
      await db.query('select 1');
      await db.close();
      await rename(scratch, dir);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
    await rm(lock, { force: true });
  }
}

/** True once this process holds the lock; false when another process made the database meanwhile. */
async function lockOrWait() {
  for (;;) {
    if (made()) return false;
    try {
      await writeFile(lock, String(process.pid), { flag: 'wx' });
      return true;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    if (await lockIsStale()) await rm(lock, { force: true });
    else await sleep(100);
  }
}

async function lockIsStale() {
  const owner = Number(await readFile(lock, 'utf8').catch(() => ''));
  if (!owner) {
    // Created but not yet written, or its writer died in between: stale once it is old.
    const since = await stat(lock).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    return since > 5000;
  }
  try {
    process.kill(owner, 0);
    return false;
  } catch (error) {
    return error.code === 'ESRCH';
  }
}
