import { setTimeout as sleep } from 'node:timers/promises';
import { listOpenSteps } from '../db/steps.js';
import { findWorkById, listOpenWorksForVideo, setWorkStatus } from '../db/works.js';
import { submitWork } from '../jobs/admission.js';
import type { PipelineDeps } from '../pipeline/context.js';
import { kickWork } from './queue/advance.js';
import type { QueueRuntime } from './queue/runtime.js';
import type { Runner } from './types.js';

/** How long a cancel waits for running steps on other workers to stop, and how often it looks. */
const CANCEL_WAIT_MS = 15_000;
const POLL_MS = 200;

/**
 * Runs works on BullMQ workers (`npm run worker`, any number, anywhere). `submit` records the work
 * in Postgres and adds its coordinator job when its owner's line lets it in (the worker that
 * finishes a user's work lets the next one in); everything else happens on the workers. `settled`
 * and `workSettled` follow Postgres, so they see work done by any worker.
 */
export function createQueueRunner(deps: PipelineDeps, runtime: QueueRuntime): Runner {
  let closed = false;

  const waitUntil = async (done: () => Promise<boolean>, wakeFor?: string) => {
    while (!(await done())) {
      if (closed) throw new Error('The runner is closed');
      await new Promise<void>((resolve) => {
        const stop = wakeFor ? runtime.subscribe('events', (videoId) => videoId === wakeFor && finish()) : () => {};
        const timer = setTimeout(() => finish(), POLL_MS * 2);
        function finish() {
          clearTimeout(timer);
          stop();
          resolve();
        }
      });
    }
  };

  return {
    kind: 'queue',
    async submit(request) {
      if (closed) throw new Error('The runner is closed');
      const { work, admitted } = await submitWork(deps, request, 'queue');
      for (const next of admitted) await kickWork(runtime, next.id);
      return work;
    },
    async cancel(videoId) {
      const works = await listOpenWorksForVideo(deps.db, videoId);
      for (const work of works)
        await setWorkStatus(deps.db, work.id, 'cancelled', { onlyFrom: ['waiting', 'running'] });
      const ids = works.map((work) => work.id);
      runtime.publish('cancel', videoId);
      const deadline = Date.now() + CANCEL_WAIT_MS;
      for (;;) {
        const open = await listOpenSteps(deps.db, ids);
        await Promise.all(
          open.map(async ({ key }) => {
            for (const queue of [runtime.provider, runtime.local]) await queue.remove(key).catch(() => 0);
          }),
        );
        if (!open.some((step) => step.status === 'running') || Date.now() > deadline) return;
        await sleep(POLL_MS);
      }
    },
    settled(videoId) {
      return waitUntil(async () => (await listOpenWorksForVideo(deps.db, videoId)).length === 0, videoId);
    },
    async workSettled(workId) {
      let ended: Awaited<ReturnType<typeof findWorkById>>;
      await waitUntil(async () => {
        ended = await findWorkById(deps.db, workId);
        if (!ended) throw new Error(`Work ${workId} does not exist`);
        return ended.status !== 'waiting' && ended.status !== 'running';
      });
      return ended as NonNullable<typeof ended>;
    },
    async close() {
      closed = true;
    },
  };
}
