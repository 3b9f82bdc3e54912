import { setTimeout as sleep } from 'node:timers/promises';
import { criticalPathMs, type DagNode, runDag } from '../core/src/pipeline/dag.js';

/**
 * Schedule efficiency: wall time / critical path of the chunk DAG of a 15+10+5 s plan on a model
 * with 5 s chunks, with a simulated provider (fixed latency per call) behind a concurrency cap.
 * Baselines measured in the same run: fully sequential, and the predecessor's "two-phase" plan
 * (all storyboards, then all first chunks, then the continuation chunks level by level, with a
 * barrier between phases).
 */
const SCENES_S = [15, 10, 5];
const CHUNK_S = 5;
const STORYBOARD_MS = 120;
const CHUNK_MS = 300;
const PROVIDER_CAP = 4;

interface Shape {
  id: string;
  deps: string[];
  ms: number;
  level: number;
}

function chunkDagShape(jitter: (id: string) => number): Shape[] {
  const nodes: Shape[] = [];
  SCENES_S.forEach((durationS, scene) => {
    nodes.push({ id: `storyboard.${scene}`, deps: [], ms: STORYBOARD_MS * jitter(`s${scene}`), level: 0 });
    const chunks = Math.ceil(durationS / CHUNK_S);
    for (let k = 0; k < chunks; k++) {
      const deps = [k === 0 ? `storyboard.${scene}` : `chunk.${scene}.${k - 1}`];
      nodes.push({ id: `chunk.${scene}.${k}`, deps, ms: CHUNK_MS * jitter(`c${scene}${k}`), level: k + 1 });
    }
  });
  return nodes;
}

async function ours(shape: Shape[]): Promise<number> {
  const nodes: DagNode[] = shape.map((node) => ({
    id: node.id,
    deps: node.deps,
    pool: 'provider',
    run: () => sleep(node.ms),
  }));
  const start = performance.now();
  await runDag(nodes, { limits: { provider: PROVIDER_CAP } });
  return performance.now() - start;
}

async function sequential(shape: Shape[]): Promise<number> {
  const start = performance.now();
  for (const node of shape) await sleep(node.ms);
  return performance.now() - start;
}

async function twoPhase(shape: Shape[]): Promise<number> {
  const start = performance.now();
  const levels = Math.max(...shape.map((node) => node.level));
  for (let level = 0; level <= levels; level++) {
    const batch = shape.filter((node) => node.level === level);
    for (let i = 0; i < batch.length; i += PROVIDER_CAP) {
      await Promise.all(batch.slice(i, i + PROVIDER_CAP).map((node) => sleep(node.ms)));
    }
  }
  return performance.now() - start;
}

export async function benchSchedule(): Promise<string[]> {
  const lines: string[] = [];
  const scenarios: Array<[string, (id: string) => number]> = [
    ['fixed latency', () => 1],
    ['varied latency (0.6–1.4×)', (id) => 0.6 + ((id.charCodeAt(1) * 7 + (id.charCodeAt(2) || 3) * 13) % 9) / 10],
  ];
  for (const [label, jitter] of scenarios) {
    const shape = chunkDagShape(jitter);
    const critical = criticalPathMs(
      shape.map((node) => ({ id: node.id, deps: node.deps, pool: 'p', run: async () => {} })),
      (node) => shape.find((s) => s.id === node.id)?.ms ?? 0,
    );
    const wall = await ours(shape);
    const seq = await sequential(shape);
    const phased = await twoPhase(shape);
    lines.push(
      `schedule (${label}, plan 15+10+5 s, 5 s chunks, cap ${PROVIDER_CAP}): critical path ${critical.toFixed(0)} ms`,
      `  ours        ${wall.toFixed(0).padStart(6)} ms  efficiency ${(wall / critical).toFixed(3)}  (goal ≤ 1.10)`,
      `  two-phase   ${phased.toFixed(0).padStart(6)} ms  efficiency ${(phased / critical).toFixed(3)}`,
      `  sequential  ${seq.toFixed(0).padStart(6)} ms  efficiency ${(seq / critical).toFixed(3)}`,
    );
  }
  return lines;
}
