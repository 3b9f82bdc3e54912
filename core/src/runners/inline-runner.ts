import { hostname } from 'node:os';
import type { WorkRow } from '../db/schema.js';
import { findWorkById, listOpenWorksForVideo, listWorksByStatus, setWorkStatus } from '../db/works.js';
import { abortCauseOf, abortError } from '../errors.js';
import { admitWaitingWorks, submitWork } from '../jobs/admission.js';
import { failWork, interruptWork } from '../jobs/conclude.js';
import type { PipelineDeps } from '../pipeline/context.js';
import { INLINE_RUNNER_ID, runWorkInline } from './inline/run-work.js';
import type { Runner } from './types.js';

/**
 * Runs works in this process, no Redis needed (CLI, MCP on a laptop). The per-user line is the same
 * as on the queue (Postgres decides who starts); started works of different videos run side by
 * side, bounded by the pipeline's provider and local limits per work. An inline work cannot outlive
 * its process: closing aborts what runs and marks it interrupted, and a new runner marks the works
 * of dead inline processes on this host interrupted too, so nobody's line stays blocked by them.
 */
export function createInlineRunner(deps: PipelineDeps): Runner {
  const running = new Map<
    string,
    { work: WorkRow; videoId: string | null; controller: AbortController; done: Promise<void> }
  >();
  let closed = false;
  const reclaimed = reclaimDeadInlineWorks(deps).catch((error: unknown) =>
    deps.log.warn({ err: error }, 'could not check for works of stopped processes'),
  );

  const start = (work: WorkRow) => {
    if (closed || running.has(work.id)) return;
    const controller = new AbortController();
    const done = runWorkInline(deps, work, controller.signal)
      .catch(async (error: unknown) => {
        if (abortCauseOf(controller.signal.reason ?? error) === 'cancelled') {
          await setWorkStatus(deps.db, work.id, 'cancelled', { onlyFrom: ['running'] });
          return;
        }
        if (controller.signal.aborted) return;
        deps.log.error({ err: error, workId: work.id }, 'inline work crashed');
        await failWork(deps, work, error);
      })
      .then(async () => {
        running.delete(work.id);
        if (closed) return;
        for (const next of await admitWaitingWorks(deps, work.user_id)) start(next);
      })
      .catch((error: unknown) => deps.log.error({ err: error, workId: work.id }, 'admitting the next work failed'));
    running.set(work.id, { work, videoId: work.video_id, controller, done });
  };

  const openWorks = async (videoId: string) => (await listOpenWorksForVideo(deps.db, videoId)).length > 0;

  return {
    kind: 'inline',
    async submit(request) {
      if (closed) throw new Error('The runner is closed');
      await reclaimed;
      const { work, admitted } = await submitWork(deps, request, 'inline', INLINE_RUNNER_ID);
      for (const next of admitted) start(next);
      return work;
    },
    async cancel(videoId) {
      for (const work of await listOpenWorksForVideo(deps.db, videoId)) {
        await setWorkStatus(deps.db, work.id, 'cancelled', { onlyFrom: ['waiting', 'running'] });
      }
      const mine = [...running.values()].filter((entry) => entry.videoId === videoId);
      for (const entry of mine) entry.controller.abort(abortError('cancelled'));
      await Promise.all(mine.map((entry) => entry.done));
    },
    async settled(videoId) {
      for (;;) {
        const mine = [...running.values()].filter((entry) => entry.videoId === videoId);
        if (mine.length > 0) await Promise.all(mine.map((entry) => entry.done));
        else if (!(await openWorks(videoId))) return;
        else await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async workSettled(workId) {
      for (;;) {
        await running.get(workId)?.done;
        const work = await findWorkById(deps.db, workId);
        if (!work) throw new Error(`Work ${workId} does not exist`);
        if (work.status !== 'waiting' && work.status !== 'running') return work;
        if (!running.has(workId)) await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async close() {
      closed = true;
      const open = [...running.values()];
      for (const entry of open) entry.controller.abort(abortError('shutdown'));
      await Promise.all(open.map((entry) => entry.done));
      for (const entry of open) await interruptWork(deps, entry.work);
      await reclaimed;
    },
  };
}

/** Inline works of processes on this host that are gone (killed, crashed) end interrupted. */
async function reclaimDeadInlineWorks(deps: PipelineDeps): Promise<void> {
  const host = hostname();
  for (const status of ['running', 'waiting'] as const) {
    for (const work of await listWorksByStatus(deps.db, status, 'inline')) {
      const [workHost, pid] = (work.runner_id ?? '').split(':');
      if (workHost !== host || !pid || Number(pid) === process.pid || isAlive(Number(pid))) continue;
      await interruptWork(deps, work);
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
