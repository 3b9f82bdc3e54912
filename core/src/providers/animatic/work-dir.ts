import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Runs `use` with a private scratch folder inside `workDir` (created when missing) for intermediate
 * files, and removes the folder whatever happens, so only finished outputs stay in `workDir`.
 */
export async function withScratch<T>(workDir: string, use: (scratch: string) => Promise<T>): Promise<T> {
  await mkdir(workDir, { recursive: true });
  const scratch = await mkdtemp(join(workDir, '.animatic-'));
  try {
    return await use(scratch);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Runs `produce`, which writes several outputs, and deletes every path in `outputs` when it fails, so
 * a failed or aborted call leaves none of its outputs behind.
 */
export async function allOrNothing<T>(outputs: readonly string[], produce: () => Promise<T>): Promise<T> {
  try {
    return await produce();
  } catch (error) {
    await Promise.all(outputs.map((file) => rm(file, { force: true })));
    throw error;
  }
}
