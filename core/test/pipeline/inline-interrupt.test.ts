import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertWork } from '../../src/db/works.js';
import { createAnimaticProviders } from '../../src/providers/animatic/index.js';
import { createInlineRunner } from '../../src/runners/inline-runner.js';
import type { Owner } from '../../src/service/types.js';
import { createTestStack, type TestStack } from '../helpers/pipeline.js';
import { recordingProviders } from './recording-provider.js';

const owner: Owner = { platform: 'cli', platformUserId: 'interrupted' };

describe('inline works that lose their process', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack({
      providers: recordingProviders(createAnimaticProviders(), { delayMs: 300 }).providers,
    });
  });
  afterAll(() => stack?.close());

  it('end interrupted when their runner closes, so the owner is not left waiting', async () => {
    const first = await stack.service.create(owner, { prompt: 'a clock tower at noon', durationS: 10, model: 'tiny' });
    for (let i = 0; i < 200; i++) {
      if ((await stack.service.get(owner, first.videoId)).status === 'generating') break;
      await sleep(20);
    }
    await stack.runner.close();
    const work = await stack.database.db
      .selectFrom('works')
      .selectAll()
      .where('video_id', '=', first.videoId)
      .executeTakeFirstOrThrow();
    expect(work).toMatchObject({ status: 'failed', error_code: 'interrupted' });
    expect((await stack.service.get(owner, first.videoId)).message).toMatch(/^Interrupted/);
  });

  it('end interrupted when a new runner finds their process gone', async () => {
    const video = await stack.database.db.selectFrom('videos').select(['id', 'user_id']).executeTakeFirstOrThrow();
    const stale = await insertWork(stack.database.db, {
      user_id: video.user_id,
      video_id: video.id,
      kind: 'restitch',
      runner: 'inline',
      runner_id: `${hostname()}:2147483000:inline`,
      params: {},
    });
    await stack.database.db.updateTable('works').set({ status: 'running' }).where('id', '=', stale.id).execute();
    const runner = createInlineRunner(stack.deps);
    const fresh = await stack.database.db
      .insertInto('videos')
      .values({
        user_id: video.user_id,
        mode: 'ad',
        prompt: 'a second video',
        duration_s: 5,
        model_key: 'tiny',
        provider: 'animatic',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const next = await runner.submit({ kind: 'create', videoId: fresh.id });
    expect(next.status).toBe('waiting');
    const reread = await stack.database.db
      .selectFrom('works')
      .selectAll()
      .where('id', 'in', [stale.id, next.id])
      .execute();
    expect(reread.find((row) => row.id === stale.id)).toMatchObject({ status: 'failed', error_code: 'interrupted' });
    expect(reread.find((row) => row.id === next.id)?.status).toBe('running');
    await runner.settled(fresh.id);
    await runner.close();
  });
});
