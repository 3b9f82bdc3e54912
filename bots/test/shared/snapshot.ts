import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestStack } from '../../../core/test/helpers/pipeline.js';

/** Everything a refused request must leave alone: rows, stored files, queued jobs. */
export async function snapshot(stack: TestStack) {
  const db = stack.database.db;
  const count = async (table: 'videos' | 'assets' | 'works' | 'steps' | 'clip_versions' | 'predictions') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const runtime = stack.queue?.runtime;
  return {
    videos: await count('videos'),
    assets: await count('assets'),
    works: await count('works'),
    steps: await count('steps'),
    versions: await count('clip_versions'),
    predictions: await count('predictions'),
    files: (await readdir(join(stack.dataDir, 'storage'), { recursive: true }).catch(() => [])).length,
    jobs: ((await runtime?.provider.count()) ?? 0) + ((await runtime?.local.count()) ?? 0),
  };
}
