import type { WorkRow } from '../db/schema.js';
import { findWorkById, listOpenWorksForVideo, setWorkStatus } from '../db/works.js';
import { abortCauseOf, abortError } from '../errors.js';
import { admitWaitingWorks, submitWork } from '../jobs/admission.js';
import type { PipelineDeps } from '../pipeline/context.js';
import { runWorkInline } from './inline/run-work.js';
import type { Runner } from './types.js';

/**
 * Runs works in this process, no Redis needed (CLI, MCP on a laptop). The per-user line is the same
 * as on the queue (Postgres decides who starts); started works of different videos run side by
 * side, bounded by the pipeline's provider and local limits per work. Closing aborts what runs
 * (its works stay `running` in Postgres and are not resumed by workers: they belong to this runner).
 */
export function createInlineRunner(deps: PipelineDeps): Runner {
  const running = new Map<string, { videoId: string | null; controller: AbortController; done: Promise<void> }>();
  let closed = false;

  const start = (work: WorkRow) => {
    if (closed || running.has(work.id)) return;
    const controller = new AbortController();
    const done = runWorkInline(deps, work, controller.signal)
      .catch(async (error: unknown) => {
        if (abortCauseOf(controller.signal.reason ?? error) === 'cancelled') {
          await setWorkStatus(deps.db, work.id, 'cancelled', { onlyFrom: ['running'] });
          return;
        }
        if (!controller.signal.aborted) deps.log.error({ err: error, workId: work.id }, 'inline work crashed');
      })
      .then(async () => {
        running.delete(work.id);
        if (closed) return;
        for (const next of await admitWaitingWorks(deps, work.user_id)) start(next);
      })
      .catch((error: unknown) => deps.log.error({ err: error, workId: work.id }, 'admitting the next work failed'));
    running.set(work.id, { videoId: work.video_id, controller, done });
  };

  const openWorks = async (videoId: string) => (await listOpenWorksForVideo(deps.db, videoId)).length > 0;

  return {
    kind: 'inline',
    async submit(request) {
      if (closed) throw new Error('The runner is closed');
      const { work, admitted } = await submitWork(deps, request, 'inline');
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
      for (const entry of running.values()) entry.controller.abort(abortError('shutdown'));
      await Promise.all([...running.values()].map((entry) => entry.done));
    },
  };
}
