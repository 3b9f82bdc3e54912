import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkRow } from '../../db/schema.js';
import { insertSteps, listSteps } from '../../db/steps.js';
import { findWorkById } from '../../db/works.js';
import { admitWaitingWorks } from '../../jobs/admission.js';
import { buildWork } from '../../jobs/build-work.js';
import { stepNamed } from '../../jobs/catalog.js';
import { concludeWork, failWork } from '../../jobs/conclude.js';
import { etaContextOf, tailSeconds } from '../../jobs/eta.js';
import { nextMoves, type WorkGraph, type WorkNode } from '../../jobs/graph.js';
import { onNodeSettled } from '../../jobs/progress.js';
import type { PipelineDeps } from '../../pipeline/context.js';
import type { StepJobData } from './job-data.js';
import { workJobId } from './names.js';
import type { QueueRuntime } from './runtime.js';

export interface AdvanceOptions {
  /** The node whose outcome was just stored: its settle rules run here, inside the work's lock. */
  settled?: WorkNode;
  /**
   * Recovery: Redis may have lost jobs (or kept finished ones for steps Postgres says are not
   * settled). Every ready node's job is checked and re-added when it is missing or finished.
   */
  repair?: boolean;
}

/**
 * The coordinator: one step of progress for a running work, from Postgres alone. Under a per-work
 * lock in Redis (so two workers finishing steps of one work take turns and the video's events stay
 * in order; no database connection is held while waiting for it) it rebuilds the graph, applies the settle rules of the node that just finished, records
 * skipped nodes, and adds a job (id = step key) for every node that is ready; once every node has
 * settled it concludes the work and admits its owner's next waiting works. Idempotent: calling it
 * again adds nothing twice (job ids dedupe) and concludes nothing twice.
 */
export async function advanceWork(
  runtime: QueueRuntime,
  deps: PipelineDeps,
  workId: string,
  options: AdvanceOptions = {},
): Promise<void> {
  const admitted = await withWorkLock(runtime, workId, async () => {
    const work = await findWorkById(deps.db, workId);
    if (work?.status !== 'running') return [];
    let graph: WorkGraph;
    try {
      graph = await buildWork(deps, work);
    } catch (error) {
      await failWork(deps, work, error);
      return admitWaitingWorks(deps, work.user_id);
    }
    if (options.settled && graph.nodes.some((node) => node.id === options.settled?.id)) {
      await onNodeSettled(deps, work, graph, options.settled);
    }
    for (;;) {
      const stored = new Map((await listSteps(deps.db, work.id)).map((row) => [row.key, row.status]));
      const moves = nextMoves(graph, (id) => stored.get(id));
      if (moves.skip.length > 0) {
        await insertSteps(
          deps.db,
          moves.skip.map(({ node }) => ({
            key: node.id,
            work_id: work.id,
            name: node.step,
            status: 'skipped' as const,
          })),
        );
        for (const { node } of moves.skip) await onNodeSettled(deps, work, graph, node);
        continue;
      }
      if (moves.settled && graph.partial) {
        const rebuilt = await buildWork(deps, work);
        if (!rebuilt.partial) {
          graph = rebuilt;
          continue;
        }
      }
      if (moves.settled) {
        await concludeWork(deps, work, graph);
        return admitWaitingWorks(deps, work.user_id);
      }
      await enqueueNodes(runtime, work, moves.ready, tailSeconds(graph, etaContextOf(deps)), options.repair === true);
      return [];
    }
  });
  for (const next of admitted) await kickWork(runtime, next.id);
}

/** Adds the coordinator job of a work that was just admitted. */
export async function kickWork(runtime: QueueRuntime, workId: string): Promise<void> {
  await runtime.works.add(
    'work',
    { workId },
    { jobId: workJobId(workId), attempts: 5, backoff: { type: 'exponential', delay: 500 } },
  );
}

/** BullMQ priorities run from 1 (first) to 2^21; a longer tail gets a smaller number. */
const LOWEST_PRIORITY = 2_000_000;

async function enqueueNodes(
  runtime: QueueRuntime,
  work: WorkRow,
  nodes: readonly WorkNode[],
  tails: ReadonlyMap<string, number>,
  repair: boolean,
) {
  if (nodes.length === 0) return;
  for (const pool of ['provider', 'local'] as const) {
    const queue = pool === 'provider' ? runtime.provider : runtime.local;
    const mine = nodes.filter((node) => stepNamed(node.step).pool === pool);
    if (mine.length === 0) continue;
    if (repair) {
      for (const node of mine) {
        const job = await queue.getJob(node.id);
        const state = job ? await job.getState() : undefined;
        if (job && (state === 'completed' || state === 'failed')) await job.remove().catch(() => {});
      }
    }
    await queue.addBulk(
      mine.map((node) => {
        const policy = stepNamed(node.step).retry;
        const data: StepJobData = { workId: work.id, videoId: work.video_id, node };
        return {
          name: node.step,
          data,
          opts: {
            jobId: node.id,
            priority: Math.max(1, LOWEST_PRIORITY - Math.round((tails.get(node.id) ?? 0) * 100)),
            attempts: policy.attempts,
            backoff: { type: 'reelsmith', delay: policy.delayMs },
          },
        };
      }),
    );
  }
}

/** An advance takes milliseconds; a holder that died frees the lock after this. */
const LOCK_TTL_MS = 10_000;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Runs `fn` holding the work's lock (`SET NX PX` with a token; released only by its holder, expiring
 * after 10 s should its holder die).
 */
async function withWorkLock<T>(runtime: QueueRuntime, workId: string, fn: () => Promise<T>): Promise<T> {
  const key = `${runtime.prefix}:lock:work:${workId}`;
  const token = randomUUID();
  for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
    if ((await runtime.redis.set(key, token, 'PX', LOCK_TTL_MS, 'NX')) === 'OK') break;
    await sleep(wait);
  }
  try {
    return await fn();
  } finally {
    await runtime.redis.eval(RELEASE, 1, key, token).catch(() => {});
  }
}
