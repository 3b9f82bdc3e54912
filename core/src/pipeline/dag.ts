/**
 * A small DAG executor (the InlineRunner's): a node starts the moment every node it depends on has
 * succeeded, every node it runs after has settled, and its pool has a free slot. Pools cap
 * concurrency per provider (in-flight predictions) and for local ffmpeg work. A failed node does not
 * stop unrelated branches: its dependents are skipped, and the caller decides what a partial result
 * means. Abort stops everything that has not finished.
 */

export interface DagNode<T = unknown> {
  id: string;
  /** Ids of nodes whose results this node needs (they must succeed, else this node is skipped). */
  deps: readonly string[];
  /** Ids of nodes that must have settled, whatever their outcome, before this node starts. */
  after?: readonly string[];
  /** Concurrency pool name; a pool without a configured limit is unbounded. */
  pool: string;
  /** Among nodes ready at once, higher starts first (e.g. the longest remaining chain). Default 0. */
  priority?: number;
  run(inputs: ReadonlyMap<string, unknown>, signal: AbortSignal): Promise<T>;
}

export type DagOutcome =
  | { status: 'succeeded'; value: unknown }
  | { status: 'failed'; error: unknown }
  | { status: 'skipped'; because: string };

export interface RunDagOptions {
  /** In-flight limit per pool name. */
  limits: Readonly<Record<string, number>>;
  signal?: AbortSignal;
  /** Outcomes known before the run (nodes settled earlier): these nodes are not run again. */
  settled?: ReadonlyMap<string, DagOutcome>;
  onStart?: (id: string) => void;
  onSettled?: (id: string, outcome: DagOutcome) => void;
}

/**
 * Runs every node once and resolves with each node's outcome. Rejects only on abort (with the
 * signal's reason, once the nodes already running have settled) or on a malformed graph
 * (unknown dependency, duplicate id, cycle).
 */
export async function runDag(nodes: readonly DagNode[], options: RunDagOptions): Promise<Map<string, DagOutcome>> {
  assertWellFormed(nodes);
  const ordered = [...nodes].sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0));
  const signal = options.signal ?? new AbortController().signal;
  signal.throwIfAborted();
  const outcomes = new Map<string, DagOutcome>(options.settled ?? []);
  const running = new Map<string, number>();
  const started = new Set<string>(outcomes.keys());

  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      fn();
    };
    const inFlight = () => [...running.values()].reduce((sum, n) => sum + n, 0);
    /** On abort nothing new starts; the run rejects once the nodes already running have unwound. */
    const onAbort = () => {
      if (inFlight() === 0) finish(() => reject(signal.reason));
    };
    signal.addEventListener('abort', onAbort, { once: true });

    const settle = (node: DagNode, outcome: DagOutcome) => {
      outcomes.set(node.id, outcome);
      options.onSettled?.(node.id, outcome);
    };

    /** One pass starts every ready node; skips can unblock further skips, so passes repeat until none happen. */
    const pump = () => {
      if (settled) return;
      if (signal.aborted) {
        onAbort();
        return;
      }
      let skippedAny = true;
      while (skippedAny) {
        skippedAny = false;
        for (const node of ordered) {
          if (started.has(node.id)) continue;
          const blocked = node.deps.find((dep) => {
            const outcome = outcomes.get(dep);
            return outcome !== undefined && outcome.status !== 'succeeded';
          });
          if (blocked !== undefined) {
            started.add(node.id);
            settle(node, { status: 'skipped', because: blocked });
            skippedAny = true;
            continue;
          }
          if (!node.deps.every((dep) => outcomes.has(dep))) continue;
          if (!(node.after ?? []).every((id) => outcomes.has(id))) continue;
          const limit = options.limits[node.pool] ?? Number.POSITIVE_INFINITY;
          if ((running.get(node.pool) ?? 0) >= limit) continue;
          started.add(node.id);
          launch(node);
        }
      }
      if (outcomes.size === nodes.length) finish(() => resolve(outcomes));
    };

    const launch = (node: DagNode) => {
      running.set(node.pool, (running.get(node.pool) ?? 0) + 1);
      options.onStart?.(node.id);
      const inputs = new Map<string, unknown>();
      for (const dep of node.deps) {
        const outcome = outcomes.get(dep);
        if (outcome?.status === 'succeeded') inputs.set(dep, outcome.value);
      }
      Promise.resolve()
        .then(() => node.run(inputs, signal))
        .then(
          (value) => settle(node, { status: 'succeeded', value }),
          (error: unknown) => settle(node, { status: 'failed', error }),
        )
        .finally(() => {
          running.set(node.pool, (running.get(node.pool) ?? 1) - 1);
          pump();
        });
    };

    pump();
  });
}

function assertWellFormed(nodes: readonly DagNode[]): void {
  const ids = new Set<string>();
  for (const node of nodes) {
    if (ids.has(node.id)) throw new Error(`DAG has two nodes with id ${node.id}`);
    ids.add(node.id);
  }
  for (const node of nodes) {
    for (const dep of [...node.deps, ...(node.after ?? [])]) {
      if (!ids.has(dep)) throw new Error(`DAG node ${node.id} depends on unknown node ${dep}`);
    }
  }
  const visiting = new Set<string>();
  const done = new Set<string>();
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const visit = (id: string) => {
    if (done.has(id)) return;
    if (visiting.has(id)) throw new Error(`DAG has a cycle through ${id}`);
    visiting.add(id);
    const node = byId.get(id);
    for (const dep of [...(node?.deps ?? []), ...(node?.after ?? [])]) visit(dep);
    visiting.delete(id);
    done.add(id);
  };
  for (const node of nodes) visit(node.id);
}

/** The longest chain of node durations: the wall time no scheduler can beat. */
export function criticalPathMs(nodes: readonly DagNode[], durationMs: (node: DagNode) => number): number {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const memo = new Map<string, number>();
  const finishAt = (id: string): number => {
    const cached = memo.get(id);
    if (cached !== undefined) return cached;
    const node = byId.get(id);
    if (!node) return 0;
    const value = Math.max(0, ...[...node.deps, ...(node.after ?? [])].map(finishAt)) + durationMs(node);
    memo.set(id, value);
    return value;
  };
  return Math.max(0, ...nodes.map((node) => finishAt(node.id)));
}
