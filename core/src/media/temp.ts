import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { PermanentError } from '../errors.js';

/** Paths a producer may write while building one output. */
export interface AtomicOutputPaths {
  /** Where the producer writes the output; it has the same extension as the final path. */
  readonly partial: string;
  /** A private folder for intermediate files (lists, label files); removed afterwards. */
  readonly scratch: string;
}

/**
 * Builds `out` atomically: `produce` writes into a private scratch folder created beside `out`
 * (`.<name>.XXXXXX`, same filesystem), and only on success is the partial file renamed onto `out`.
 * The scratch folder is removed whatever happens, so a failure or an abort leaves neither a
 * half-written output nor temp files. The folder of `out` is created when missing.
 * @throws PermanentError when `produce` resolves without having written the partial file.
 */
export async function writeAtomically<T>(out: string, produce: (paths: AtomicOutputPaths) => Promise<T>): Promise<T> {
  const target = resolve(out);
  await mkdir(dirname(target), { recursive: true });
  const scratch = await mkdtemp(join(dirname(target), `.${basename(target)}.`));
  try {
    const partial = join(scratch, `partial${extname(target)}`);
    const result = await produce({ partial, scratch });
    const written = await stat(partial).catch(() => undefined);
    if (!written || written.size === 0) {
      throw new PermanentError(`ffmpeg finished without writing ${target}`);
    }
    await rename(partial, target);
    return result;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
