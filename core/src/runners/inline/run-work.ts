import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StepStatus, WorkRow } from '../../db/schema.js';
import { insertSteps, listSteps } from '../../db/steps.js';
import { buildWork } from '../../jobs/build-work.js';
import { stepNamed } from '../../jobs/catalog.js';
import { concludeWork, failWork } from '../../jobs/conclude.js';
import { etaContextOf, tailSeconds } from '../../jobs/eta.js';
import type { WorkGraph, WorkNode } from '../../jobs/graph.js';
import { onNodeSettled } from '../../jobs/progress.js';
import { retryDelayMs, runNode } from '../../jobs/run-node.js';
import type { PipelineDeps } from '../../pipeline/context.js';
import { type DagNode, type DagOutcome, runDag } from '../../pipeline/dag.js';
import { createVideoFiles } from '../../pipeline/video-files.js';

/** Raised inside the DAG for a node that failed for good (its outcome is already stored). */
class NodeFailed extends Error {
  override readonly name = 'NodeFailed';
}

/** This process as the runner of its inline works and steps (`host:pid:inline`). */
export const INLINE_RUNNER_ID = `${hostname()}:${process.pid}:inline`;

/**
 * Executes a running work in this process: builds its graph from Postgres, runs every node not yet
 * settled through `runDag` (pools: provider calls and local ffmpeg work, each capped), retrying per
 * the step's policy, rebuilds once planning has written its rows, and concludes over the stored
 * outcomes. Resolves when the work has ended; rejects only when `signal` aborts (the caller owns
 * what an abort means).
 */
export async function runWorkInline(deps: PipelineDeps, work: WorkRow, signal: AbortSignal): Promise<void> {
  const files = createVideoFiles(deps.storage, deps.workRoot, work.id);
  let settleRules: Promise<void> = Promise.resolve();
  try {
    let graph: WorkGraph;
    try {
      graph = await buildWork(deps, work);
    } catch (error) {
      await failWork(deps, work, error);
      return;
    }
    for (;;) {
      const current = graph;
      const stored = new Map((await listSteps(deps.db, work.id)).map((row) => [row.key, row.status]));
      const byId = new Map(current.nodes.map((node) => [node.id, node]));
      const tails = tailSeconds(current, etaContextOf(deps));
      await runDag(
        current.nodes.map((node) => ({
          ...dagNode(deps, work, node, files, signal),
          priority: tails.get(node.id) ?? 0,
        })),
        {
          limits: { provider: deps.limits.provider, local: deps.limits.local },
          signal,
          settled: settledOutcomes(current, stored),
          onSettled: (id, outcome) => {
            const node = byId.get(id) as WorkNode;
            settleRules = settleRules
              .then(async () => {
                if (outcome.status === 'skipped') {
                  await insertSteps(deps.db, [{ key: id, work_id: work.id, name: node.step, status: 'skipped' }]);
                }
                await onNodeSettled(deps, work, current, node);
              })
              .catch((error: unknown) => deps.log.warn({ err: error, step: id }, 'progress rule failed'));
          },
        },
      );
      await settleRules;
      if (!current.partial) break;
      graph = await buildWork(deps, work);
      if (graph.partial) break;
    }
    signal.throwIfAborted();
    await concludeWork(deps, work, graph);
  } finally {
    await settleRules;
    await files.dispose().catch(() => {});
  }
}

function dagNode(
  deps: PipelineDeps,
  work: WorkRow,
  node: WorkNode,
  files: ReturnType<typeof createVideoFiles>,
  outer: AbortSignal,
): DagNode {
  const policy = stepNamed(node.step).retry;
  return {
    id: node.id,
    deps: node.deps,
    after: node.after,
    pool: stepNamed(node.step).pool,
    async run(_inputs, signal) {
      for (let attempt = 1; ; attempt += 1) {
        const outcome = await runNode(deps, work, node, {
          signal: AbortSignal.any([signal, outer]),
          runnerId: INLINE_RUNNER_ID,
          files,
          lastAttempt: attempt >= policy.attempts,
        });
        if (outcome.status === 'succeeded') return outcome.output;
        if (outcome.status === 'failed') throw new NodeFailed(outcome.error.message);
        await sleep(retryDelayMs(policy, attempt, outcome.error), undefined, { signal });
      }
    },
  };
}

/** Nodes already settled in Postgres (an earlier phase of this work), as runDag outcomes. */
function settledOutcomes(graph: WorkGraph, stored: ReadonlyMap<string, StepStatus>): Map<string, DagOutcome> {
  const settled = new Map<string, DagOutcome>();
  for (const node of graph.nodes) {
    const status = stored.get(node.id);
    if (status === 'succeeded') settled.set(node.id, { status: 'succeeded', value: undefined });
    else if (status === 'failed') settled.set(node.id, { status: 'failed', error: new NodeFailed(node.id) });
    else if (status === 'skipped') settled.set(node.id, { status: 'skipped', because: node.id });
  }
  return settled;
}
