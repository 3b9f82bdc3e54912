import type { StepStatus } from '../db/schema.js';
import type { StepName } from './catalog.js';

/**
 * One node of a work's graph, as plain data: which step runs, with which input (ids, storage keys,
 * small scalars), after which nodes. `deps` must succeed first (their outputs reach the step);
 * `after` must only have settled, whatever their outcome (a stitch waits for every scene, failed or
 * not). `id` is the step key: the idempotency key of everything the step records, and its job id.
 */
export interface WorkNode {
  id: string;
  step: StepName;
  input: Record<string, unknown>;
  deps: string[];
  after: string[];
}

export interface WorkGraph {
  workId: string;
  nodes: WorkNode[];
  /**
   * True while the graph is not complete: planning has not written the rows the rest is derived
   * from. Rebuild it once its nodes settle (`buildWork` from Postgres, at any time).
   */
  partial: boolean;
}

/** What a runner should do next, from the stored outcome of every node. */
export interface NextMoves {
  /** Nodes whose deps succeeded and whose after-nodes settled, not yet settled themselves. */
  ready: WorkNode[];
  /** Nodes that cannot run because a dependency failed or was skipped (with the first such dependency). */
  skip: Array<{ node: WorkNode; because: string }>;
  /** Every node settled (after applying `skip`). */
  settled: boolean;
}

const SETTLED: ReadonlySet<StepStatus> = new Set(['succeeded', 'failed', 'skipped']);

/**
 * The readiness rule both runners share, over stored outcomes (`statusOf` reads the `steps` row of
 * a node; undefined when it has none). Skips cascade: a node skipped here makes its own dependents
 * skippable in the same call.
 */
export function nextMoves(graph: WorkGraph, statusOf: (id: string) => StepStatus | undefined): NextMoves {
  const status = new Map<string, StepStatus | undefined>(graph.nodes.map((node) => [node.id, statusOf(node.id)]));
  const skip: NextMoves['skip'] = [];
  let changed = true;
  while (changed) {
    changed = false;
    for (const node of graph.nodes) {
      const current = status.get(node.id);
      if (current && SETTLED.has(current)) continue;
      const blocked = node.deps.find((dep) => {
        const outcome = status.get(dep);
        return outcome === 'failed' || outcome === 'skipped';
      });
      if (blocked !== undefined) {
        status.set(node.id, 'skipped');
        skip.push({ node, because: blocked });
        changed = true;
      }
    }
  }
  const ready = graph.nodes.filter((node) => {
    const current = status.get(node.id);
    if (current && SETTLED.has(current)) return false;
    return (
      node.deps.every((dep) => status.get(dep) === 'succeeded') &&
      node.after.every((id) => {
        const outcome = status.get(id);
        return outcome !== undefined && SETTLED.has(outcome);
      })
    );
  });
  const settled = graph.nodes.every((node) => {
    const current = status.get(node.id);
    return current !== undefined && SETTLED.has(current);
  });
  return { ready, skip, settled };
}

/** True for a stored status that will not change again in this work. */
export function isSettled(status: StepStatus | undefined): boolean {
  return status !== undefined && SETTLED.has(status);
}
