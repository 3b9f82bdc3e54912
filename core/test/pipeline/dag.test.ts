import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { criticalPathMs, type DagNode, runDag } from '../../src/pipeline/dag.js';

type Log = Array<{ id: string; event: 'start' | 'end'; at: number }>;

function timedNode(log: Log, id: string, deps: string[], ms: number, pool = 'p', fail = false): DagNode {
  return {
    id,
    deps,
    pool,
    async run(inputs, signal) {
      log.push({ id, event: 'start', at: performance.now() });
      await sleep(ms, undefined, { signal });
      log.push({ id, event: 'end', at: performance.now() });
      if (fail) throw new Error(`${id} failed`);
      return { id, inputs: [...inputs.keys()] };
    },
  };
}

const indexOf = (log: Log, id: string, event: 'start' | 'end') =>
  log.findIndex((entry) => entry.id === id && entry.event === event);

describe('runDag', () => {
  it('starts a chunk the moment its own storyboard frame exists, not when every frame does', async () => {
    const log: Log = [];
    const nodes = [
      timedNode(log, 'storyboard.0', [], 10),
      timedNode(log, 'storyboard.1', [], 150),
      timedNode(log, 'chunk.0.1.0', ['storyboard.0'], 10),
      timedNode(log, 'chunk.1.1.0', ['storyboard.1'], 10),
    ];
    await runDag(nodes, { limits: { p: 4 } });
    expect(indexOf(log, 'chunk.0.1.0', 'start')).toBeLessThan(indexOf(log, 'storyboard.1', 'end'));
    expect(indexOf(log, 'chunk.1.1.0', 'start')).toBeGreaterThan(indexOf(log, 'storyboard.1', 'end'));
  });

  it('runs each chain in order and different chains side by side', async () => {
    const log: Log = [];
    const chain = (scene: number) => [
      timedNode(log, `chunk.${scene}.0`, [], 30),
      timedNode(log, `chunk.${scene}.1`, [`chunk.${scene}.0`], 30),
      timedNode(log, `chunk.${scene}.2`, [`chunk.${scene}.1`], 30),
    ];
    const outcomes = await runDag([...chain(0), ...chain(1)], { limits: { p: 4 } });
    for (const scene of [0, 1]) {
      expect(indexOf(log, `chunk.${scene}.1`, 'start')).toBeGreaterThan(indexOf(log, `chunk.${scene}.0`, 'end'));
      expect(indexOf(log, `chunk.${scene}.2`, 'start')).toBeGreaterThan(indexOf(log, `chunk.${scene}.1`, 'end'));
    }
    expect(indexOf(log, 'chunk.1.0', 'start')).toBeLessThan(indexOf(log, 'chunk.0.0', 'end'));
    expect(outcomes.get('chunk.0.1')).toEqual({
      status: 'succeeded',
      value: { id: 'chunk.0.1', inputs: ['chunk.0.0'] },
    });
  });

  it('never runs more nodes of a pool at once than its limit, while other pools go on', async () => {
    let inPool = 0;
    let maxInPool = 0;
    let localRanDuringPool = false;
    const limited: DagNode[] = Array.from({ length: 7 }, (_, i) => ({
      id: `gen.${i}`,
      deps: [],
      pool: 'replicate',
      async run() {
        inPool += 1;
        maxInPool = Math.max(maxInPool, inPool);
        await sleep(15);
        inPool -= 1;
      },
    }));
    const local: DagNode = {
      id: 'local',
      deps: [],
      pool: 'local',
      async run() {
        localRanDuringPool = inPool > 0;
      },
    };
    await runDag([...limited, local], { limits: { replicate: 2, local: 1 } });
    expect(maxInPool).toBe(2);
    expect(localRanDuringPool).toBe(true);
  });

  it('skips only the dependents of a failed node and finishes the rest', async () => {
    const log: Log = [];
    const outcomes = await runDag(
      [
        timedNode(log, 'a0', [], 5, 'p', true),
        timedNode(log, 'a1', ['a0'], 5),
        timedNode(log, 'a2', ['a1'], 5),
        timedNode(log, 'b0', [], 5),
        timedNode(log, 'b1', ['b0'], 5),
      ],
      { limits: {} },
    );
    expect(outcomes.get('a0')?.status).toBe('failed');
    expect(outcomes.get('a1')).toEqual({ status: 'skipped', because: 'a0' });
    expect(outcomes.get('a2')).toEqual({ status: 'skipped', because: 'a1' });
    expect(outcomes.get('b1')?.status).toBe('succeeded');
    expect(log.some((entry) => entry.id === 'a1')).toBe(false);
  });

  it('on abort starts nothing new and rejects once running nodes have stopped', async () => {
    const log: Log = [];
    const controller = new AbortController();
    const run = runDag([timedNode(log, 'a', [], 1000), timedNode(log, 'b', ['a'], 10)], {
      limits: {},
      signal: controller.signal,
    });
    await sleep(20);
    controller.abort(new Error('cancelled by test'));
    await expect(run).rejects.toThrow('cancelled by test');
    expect(log.map((entry) => entry.id)).toEqual(['a']);
  });

  it('refuses a graph with a cycle or an unknown dependency', async () => {
    const noop = async () => undefined;
    await expect(
      runDag(
        [
          { id: 'a', deps: ['b'], pool: 'p', run: noop },
          { id: 'b', deps: ['a'], pool: 'p', run: noop },
        ],
        { limits: {} },
      ),
    ).rejects.toThrow(/cycle/);
    await expect(runDag([{ id: 'a', deps: ['x'], pool: 'p', run: noop }], { limits: {} })).rejects.toThrow(
      /unknown node x/,
    );
  });
});

describe('criticalPathMs', () => {
  it('is the longest chain of durations', () => {
    const noop = async () => undefined;
    const nodes: DagNode[] = [
      { id: 's0', deps: [], pool: 'p', run: noop },
      { id: 'c0', deps: ['s0'], pool: 'p', run: noop },
      { id: 'c1', deps: ['c0'], pool: 'p', run: noop },
      { id: 's1', deps: [], pool: 'p', run: noop },
      { id: 'd0', deps: ['s1'], pool: 'p', run: noop },
    ];
    expect(criticalPathMs(nodes, () => 100)).toBe(300);
  });
});
