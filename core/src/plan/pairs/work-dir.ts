import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A private scratch folder; the caller removes it. */
export function makeWorkDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'reelsmith-pairs-'));
}
