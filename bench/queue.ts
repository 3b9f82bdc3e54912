import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildWork } from '../core/src/jobs/build-work.js';
import { createAnimaticProviders } from '../core/src/providers/animatic/index.js';
import type { GeneratedFile, Providers } from '../core/src/providers/types.js';
import { createTestStack, type RunnerKind, type TestStack } from '../core/test/helpers/pipeline.js';

/**
 * The QueueRunner against the InlineRunner, measured in the same run on real Postgres and Redis,
 * with an instant provider (pre-rendered files copied into place, plus an optional simulated
 * latency) so that only orchestration is timed:
 * - overhead per step: from the moment a step's last dependency finished to the moment it started
 *   (record the outcome, advance the graph, add the job, a worker picks it up, record the start),
 *   one video at a time so that no step waits for a busy pool;
 * - steps per second for six videos of six users at once (2 queue workers vs one inline runner);
 * - the schedule: wall time over the graph's critical path (each node's measured duration) for a
 *   30 s video with a provider of 300 ms latency, as `bench/schedule.ts` does for the bare DAG.
 */
interface Rendered {
  image: string;
  clip: string;
  music: string;
}

async function prerender(dir: string): Promise<Rendered> {
  const animatic = createAnimaticProviders();
  const stack = await createTestStack();
  try {
    const registry = stack.deps.registry;
    const ctx = (name: string) => ({ signal: new AbortController().signal, stepKey: name, workDir: join(dir, name) });
    for (const name of ['image', 'clip', 'music']) await mkdir(join(dir, name), { recursive: true });
    const [image] = await animatic.image.generateImages(
      { model: registry.defaultFor('image'), prompt: 'bench', count: 1, width: 320, height: 180 },
      ctx('image'),
    );
    const clip = await animatic.video.generateClip(
      { model: registry.get('tiny', 'video'), prompt: 'bench', durationS: 2.5, firstFrame: image?.path as string },
      ctx('clip'),
    );
    const music = await animatic.music.generateMusic(
      { model: registry.defaultFor('music'), prompt: 'bench', durationS: 40, tempoBpm: 100, mood: 'calm' },
      ctx('music'),
    );
    return { image: image?.path as string, clip: clip.path, music: music.path };
  } finally {
    await stack.close();
  }
}

/** Providers that copy pre-rendered files after `latencyMs`: a backend of known, fixed latency. */
function instantProviders(files: Rendered, latencyMs: number): Providers {
  const deliver = async (from: string, workDir: string, name: string, model: string): Promise<GeneratedFile> => {
    if (latencyMs > 0) await sleep(latencyMs);
    await mkdir(workDir, { recursive: true });
    const path = join(workDir, name);
    await copyFile(from, path);
    return { path, provider: 'animatic', model, costUsd: 0 };
  };
  return {
    name: 'animatic',
    image: {
      name: 'animatic',
      generateImages: async (req, ctx) => [await deliver(files.image, ctx.workDir, 'image.png', req.model.key)],
    },
    video: {
      name: 'animatic',
      generateClip: (req, ctx) => deliver(files.clip, ctx.workDir, 'clip.mp4', req.model.key),
    },
    music: {
      name: 'animatic',
      generateMusic: (req, ctx) => deliver(files.music, ctx.workDir, 'music.mp3', req.model.key),
    },
    lipsync: { name: 'animatic', lipsync: (req, ctx) => deliver(files.clip, ctx.workDir, 'clip.mp4', req.model.key) },
  };
}

async function openStack(runner: RunnerKind, providers: Providers, workers: number): Promise<TestStack> {
  const stack = await createTestStack({ runner, providers, providerLimit: 4 });
  for (let i = 1; i < workers; i++) await stack.queue?.startWorker({ runnerId: `bench-worker-${i}` });
  return stack;
}

interface StepTiming {
  key: string;
  started: number;
  finished: number;
}

async function timings(stack: TestStack, videoId: string): Promise<StepTiming[]> {
  const rows = await stack.database.db
    .selectFrom('steps')
    .innerJoin('works', 'works.id', 'steps.work_id')
    .select(['steps.key', 'steps.started_at', 'steps.finished_at'])
    .where('works.video_id', '=', videoId)
    .execute();
  return rows.map((row) => ({
    key: row.key,
    started: new Date(row.started_at as Date).getTime(),
    finished: new Date(row.finished_at as Date).getTime(),
  }));
}

async function makeVideos(stack: TestStack, count: number, durationS: number): Promise<string[]> {
  const ids = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const owner = { platform: 'cli' as const, platformUserId: `bench-${i}-${randomUUID()}` };
      return (await stack.service.create(owner, { prompt: `bench video ${i}`, durationS, model: 'tiny' })).videoId;
    }),
  );
  await Promise.all(ids.map((id) => stack.service.settled(id)));
  return ids;
}

/** The graph of the video's (only) work and its steps' timings by key. */
async function measuredGraph(stack: TestStack, videoId: string) {
  const work = await stack.database.db
    .selectFrom('works')
    .selectAll()
    .where('video_id', '=', videoId)
    .executeTakeFirstOrThrow();
  const graph = await buildWork(stack.deps, work);
  const byKey = new Map((await timings(stack, videoId)).map((timing) => [timing.key, timing]));
  return { graph, byKey };
}

/** Start of each node minus the end of its latest dependency, ms, over every node that has one. */
async function gaps(stack: TestStack, videoId: string): Promise<number[]> {
  const { graph, byKey } = await measuredGraph(stack, videoId);
  return graph.nodes.flatMap((node) => {
    const before = [...node.deps, ...node.after].map((id) => byKey.get(id)?.finished ?? 0);
    const own = byKey.get(node.id);
    return before.length > 0 && own ? [own.started - Math.max(...before)] : [];
  });
}

/** Wall time over the critical path, both from the measured step timings of the video's graph. */
async function efficiency(stack: TestStack, videoId: string): Promise<{ wall: number; critical: number }> {
  const { graph, byKey } = await measuredGraph(stack, videoId);
  const memo = new Map<string, number>();
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const finishAt = (id: string): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const own = byKey.get(id);
    const value =
      Math.max(0, ...[...(node?.deps ?? []), ...(node?.after ?? [])].map(finishAt)) +
      (own ? own.finished - own.started : 0);
    memo.set(id, value);
    return value;
  };
  const critical = Math.max(...graph.nodes.map((node) => finishAt(node.id)));
  const all = [...byKey.values()];
  const wall = Math.max(...all.map((t) => t.finished)) - Math.min(...all.map((t) => t.started));
  return { wall, critical };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function benchQueue(): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'reelsmith-bench-queue-'));
  const lines: string[] = [];
  try {
    const files = await prerender(dir);
    const setups: Array<[RunnerKind, number, string]> = [
      ['inline', 1, 'inline runner'],
      ['queue', 2, 'queue runner, 2 workers'],
    ];
    lines.push('queue (real Postgres + Redis, instant provider)');
    for (const [runner, workers, label] of setups) {
      const stack = await openStack(runner, instantProviders(files, 0), workers);
      try {
        await makeVideos(stack, 1, 10);
        const overhead: number[] = [];
        for (let i = 0; i < 3; i++) {
          const [id] = await makeVideos(stack, 1, 10);
          overhead.push(...(await gaps(stack, id as string)));
        }
        const started = performance.now();
        const ids = await makeVideos(stack, 6, 10);
        const wallS = (performance.now() - started) / 1000;
        const steps = (await Promise.all(ids.map((id) => timings(stack, id)))).flat().length;
        lines.push(
          `  ${label.padEnd(24)} overhead per step median ${percentile(overhead, 50).toFixed(1)} ms, p95 ${percentile(overhead, 95).toFixed(1)} ms (goal median ≤ 20); ${(steps / wallS).toFixed(1)} steps/s (6 videos of 6 users)`,
        );
      } finally {
        await stack.close();
      }
    }
    lines.push('schedule on real runners (30 s video, 2.5 s chunks, provider latency 300 ms, cap 4)');
    for (const [runner, workers, label] of setups) {
      const stack = await openStack(runner, instantProviders(files, 300), workers);
      try {
        const [id] = await makeVideos(stack, 1, 30);
        const { wall, critical } = await efficiency(stack, id as string);
        lines.push(
          `  ${label.padEnd(24)} wall ${wall.toFixed(0)} ms / critical path ${critical.toFixed(0)} ms = ${(wall / critical).toFixed(3)} (goal ≤ 1.10)`,
        );
      } finally {
        await stack.close();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return lines;
}
