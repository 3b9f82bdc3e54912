import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/db/connect.js';

const INIT_SCRIPT = fileURLToPath(new URL('../../src/db/pglite-init.mjs', import.meta.url));

function runInit(dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [INIT_SCRIPT, dir], { timeout: 120_000 }, (error) =>
      error ? reject(error) : resolve(),
    );
  });
}

describe('creating the embedded database directory (pglite-init.mjs)', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'reelsmith-pglite-init-'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('never shows a half-made database: the directory is empty until it holds all of it', async () => {
    const dir = join(root, 'one', 'pglite');
    await mkdir(dir, { recursive: true });
    let done = false;
    const init = runInit(dir).finally(() => {
      done = true;
    });
    const listings = new Set<string>();
    while (!done) {
      const names = await readdir(dir);
      if (names.length > 0) listings.add(names.sort().join(','));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await init;
    const complete = (await readdir(dir)).sort().join(',');
    expect(complete).toContain('PG_VERSION');
    for (const listing of listings) expect(listing).toBe(complete);
    expect(await readdir(join(root, 'one'))).toEqual(['pglite']);
    const opened = await openPglite(join(root, 'one'));
    expect((await sql<{ n: number }>`select 1 as n`.execute(opened.db)).rows).toEqual([{ n: 1 }]);
    await opened.close();
  });

  it('runs one initdb when two start at once: the second waits for the first, and nothing is left beside the directory', async () => {
    const dir = join(root, 'two', 'pglite');
    await mkdir(dir, { recursive: true });
    let done = false;
    const both = Promise.all([runInit(dir), runInit(dir)]).finally(() => {
      done = true;
    });
    let mostScratchFolders = 0;
    while (!done) {
      const scratch = (await readdir(join(root, 'two'))).filter(
        (name) => name.startsWith('pglite.init-') && !name.endsWith('lock'),
      );
      mostScratchFolders = Math.max(mostScratchFolders, scratch.length);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await both;
    expect(mostScratchFolders).toBeLessThanOrEqual(1);
    expect(await readdir(join(root, 'two'))).toEqual(['pglite']);
    expect(await readdir(dir)).toContain('PG_VERSION');
    const opened = await openPglite(join(root, 'two'));
    expect((await sql<{ n: number }>`select 1 as n`.execute(opened.db)).rows).toEqual([{ n: 1 }]);
    await opened.close();
  });

  it('takes over a lock left by a process that is gone', async () => {
    const dir = join(root, 'three', 'pglite');
    await mkdir(dir, { recursive: true });
    const gone = spawn(process.execPath, ['-e', '']);
    await once(gone, 'exit');
    await writeFile(`${dir}.init-lock`, String(gone.pid));
    await runInit(dir);
    expect(await readdir(join(root, 'three'))).toEqual(['pglite']);
    expect(await readdir(dir)).toContain('PG_VERSION');
  });
});
