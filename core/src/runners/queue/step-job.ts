import { hostname } from 'node:os';
import { type Job, type Queue, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import { requeueStep } from '../../db/steps.js';
import { findWorkById } from '../../db/works.js';
import { abortCauseOf, abortError, ProviderError } from '../../errors.js';
import { runNode } from '../../jobs/run-node.js';
import { cleanupCancelled } from '../../pipeline/cancel-cleanup.js';
import type { PipelineDeps } from '../../pipeline/context.js';
import { createVideoFiles } from '../../pipeline/video-files.js';
import { advanceWork } from './advance.js';
import { payloadProblem, StepJobData, WorkJobData } from './job-data.js';
import type { QueueRuntime } from './runtime.js';

/** The jobs a worker process is running now, by job id: what a cancel or a shutdown must abort. */
export class ActiveJobs {
  readonly #jobs = new Map<string, { videoId: string | null; controller: AbortController }>();

  track(jobId: string, videoId: string | null, outer: AbortSignal | undefined): AbortController {
    const controller = new AbortController();
    outer?.addEventListener('abort', () => controller.abort(outer.reason), { once: true });
    this.#jobs.set(jobId, { videoId, controller });
    return controller;
  }

  untrack(jobId: string): void {
    this.#jobs.delete(jobId);
  }

  /** Aborts the video's jobs as cancelled; returns how many. */
  cancelVideo(videoId: string): number {
    let n = 0;
    for (const job of this.#jobs.values()) {
      if (job.videoId !== videoId) continue;
      job.controller.abort(abortError('cancelled'));
      n += 1;
    }
    return n;
  }

  /** Aborts every job as handed back (the process is stopping). */
  shutdown(): void {
    for (const job of this.#jobs.values()) job.controller.abort(abortError('shutdown'));
  }

  get size(): number {
    return this.#jobs.size;
  }
}

export interface StepJobDeps {
  runtime: QueueRuntime;
  deps: PipelineDeps;
  active: ActiveJobs;
  /** `host:pid`, recorded on each step it runs. */
  runnerId?: string;
}

const DEFAULT_RUNNER_ID = `${hostname()}:${process.pid}`;

/**
 * A step job, as every step processor runs it (a thin call into the catalog through `runNode`):
 * - a payload that does not parse, or names no existing work, fails at once without retry, saying why;
 * - a work no longer running (cancelled, ended) makes the job a no-op;
 * - the attempt is recorded, the step runs (a settled step is not run again), its outcome stored, and
 *   the work advanced (next jobs added, or concluded) before the job completes;
 * - an attempt that may succeed later is thrown for BullMQ to retry with the step's backoff; a 429
 *   instead pauses the whole pool for every worker (`queue.rateLimit`) and hands the job back
 *   without counting an attempt; a step that failed for good fails the job (UnrecoverableError);
 * - a cancel aborts it (partial files removed again, in case it wrote some late); a shutdown hands
 *   it back to the queue at once so another worker resumes it.
 */
export async function processStepJob(
  context: StepJobDeps,
  job: Job,
  token: string | undefined,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  const { runtime, deps } = context;
  const parsed = StepJobData.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`Malformed step job ${job.id}: ${payloadProblem(parsed.error)}`);
  const { workId, videoId, node } = parsed.data;
  const work = await findWorkById(deps.db, workId);
  if (!work) throw new UnrecoverableError(`Step job ${job.id} names work ${workId}, which does not exist`);
  if (work.status !== 'running') return { skipped: `work is ${work.status}` };
  const controller = context.active.track(String(job.id), videoId, signal);
  const files = createVideoFiles(deps.storage, deps.workRoot, `job-${String(job.id)}-${job.attemptsStarted}`);
  const queue = job.queueName.endsWith('provider') ? runtime.provider : runtime.local;
  try {
    const outcome = await runNode(deps, work, node, {
      signal: controller.signal,
      runnerId: context.runnerId ?? DEFAULT_RUNNER_ID,
      files,
      lastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
      pauseOnRateLimit: true,
    });
    if (outcome.status === 'retry') {
      const wait = rateLimitWait(outcome.error);
      if (wait !== undefined) return await pausePool(queue, node.id, deps, wait);
      throw outcome.error;
    }
    await advanceWork(runtime, deps, work.id, { settled: node });
    if (outcome.status === 'failed') throw new UnrecoverableError(outcome.error.message);
    return outcome.output;
  } catch (error) {
    const cause = abortCauseOf(controller.signal.reason ?? error);
    if (cause === 'shutdown' && token) {
      await requeueStep(deps.db, node.id);
      await job.moveToWait(token);
      throw new WaitingError();
    }
    if (cause === 'cancelled') {
      await requeueStep(deps.db, node.id);
      if (videoId) await cleanupCancelled(deps.db, deps.storage, videoId);
      return { cancelled: true };
    }
    throw error;
  } finally {
    context.active.untrack(String(job.id));
    await files.dispose().catch(() => {});
  }
}

/** A coordinator job: admitted work's first advance (and a recovery's re-advance). */
export async function processWorkJob(context: StepJobDeps, job: Job): Promise<void> {
  const parsed = WorkJobData.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`Malformed work job ${job.id}: ${payloadProblem(parsed.error)}`);
  const work = await findWorkById(context.deps.db, parsed.data.workId);
  if (!work) throw new UnrecoverableError(`Work job ${job.id} names work ${parsed.data.workId}, which does not exist`);
  await advanceWork(context.runtime, context.deps, work.id);
}

/** Milliseconds to pause the pool for, when `error` is a provider's 429; else undefined. */
function rateLimitWait(error: unknown): number | undefined {
  if (!(error instanceof ProviderError) || error.status !== 429) return undefined;
  return Math.max(1000, error.retryAfterMs ?? 10_000);
}

async function pausePool(queue: Queue, key: string, deps: PipelineDeps, waitMs: number): Promise<never> {
  deps.log.warn({ step: key, waitMs }, 'provider rate limit: pausing the provider pool for every worker');
  await queue.rateLimit(waitMs);
  throw Worker.RateLimitError();
}
