import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createPlanner, type Planner } from '../../src/plan/llm/index.js';
import type { Owner } from '../../src/service/types.js';
import { createTestStack, RUNNERS, type TestStack } from '../helpers/pipeline.js';

const owner: Owner = { platform: 'discord', platformUserId: 'cancel-during-plan' };

/** A planner the test holds inside its call, deaf to the step's abort signal, as a slow LLM answer can be. */
function heldPlanner() {
  const rules = createPlanner({ log: createLogger({ level: 'silent' }) });
  let entered: () => void = () => {};
  let release: () => void = () => {};
  const inside = new Promise<void>((resolve) => {
    entered = resolve;
  });
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const planner: Planner = {
    async plan(request) {
      entered();
      await released;
      return rules.plan(request);
    },
  };
  return { planner, inside, release };
}

describe.each(RUNNERS)('a plan step that ends after its video was cancelled ($runner runner)', ({ runner }) => {
  let stack: TestStack | undefined;
  afterEach(() => stack?.close());

  it('writes no scenes and no versions, and the video stays cancelled', async () => {
    const held = heldPlanner();
    stack = await createTestStack({ runner, planner: held.planner });
    const { db } = stack.database;
    const created = await stack.service.create(owner, { prompt: 'a kite over a beach', durationS: 10, model: 'tiny' });
    const stored = () =>
      db.selectFrom('videos').select(['plan', 'status']).where('id', '=', created.videoId).executeTakeFirstOrThrow();
    await held.inside;
    // The inline runner's cancel waits for the work it aborts, so the planner is let go once the
    // cancel is stored, not once the call returns.
    const cancelling = stack.service.cancel(owner, created.videoId);
    for (let i = 0; i < 200 && (await stored()).status !== 'cancelled'; i++) await sleep(25);
    expect((await stored()).status).toBe('cancelled');
    held.release();
    expect((await cancelling).status).toBe('cancelled');

    const planStep = () =>
      db.selectFrom('steps').select(['status', 'finished_at']).where('key', '=', `${created.videoId}.plan`);
    // The step has really run past the planner: it stores the plan just before its scene transaction.
    for (let i = 0; i < 200 && (await stored()).plan === null; i++) await sleep(25);
    expect((await stored()).plan).not.toBeNull();
    for (let i = 0; i < 200 && (await planStep().executeTakeFirst())?.finished_at == null; i++) await sleep(25);
    await stack.service.settled(created.videoId);

    const scenes = await db.selectFrom('scenes').select('id').where('video_id', '=', created.videoId).execute();
    expect(scenes).toEqual([]);
    const versions = await db
      .selectFrom('clip_versions')
      .innerJoin('scenes', 'scenes.id', 'clip_versions.scene_id')
      .select('clip_versions.id')
      .where('scenes.video_id', '=', created.videoId)
      .execute();
    expect(versions).toEqual([]);
    expect((await stored()).status).toBe('cancelled');
  });
});
