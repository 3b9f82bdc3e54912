import { ZodError } from 'zod';
import type { WorkRow } from '../db/schema.js';
import {
  findSteps,
  markStepRunning,
  recordStepFailed,
  recordStepRetrying,
  recordStepSucceeded,
  requeueStep,
} from '../db/steps.js';
import { abortCauseOf, describeError, PermanentError, ProviderError, RetryableError, UserError } from '../errors.js';
import type { PipelineDeps } from '../pipeline/context.js';
import type { VideoFiles } from '../pipeline/video-files.js';
import { stepNamed } from './catalog.js';
import type { WorkNode } from './graph.js';
import { onNodeStarted } from './progress.js';
import type { DepOutput, RetryPolicy, StepContext } from './step.js';

export interface RunNodeOptions {
  signal: AbortSignal;
  /** Who runs it (`host:pid`), recorded on the step. */
  runnerId: string;
  files: VideoFiles;
  /** True when the runner will not try this node again after this attempt. */
  lastAttempt: boolean;
  /**
   * A provider's 429 is never final: it comes back as `retry` (the QueueRunner pauses the pool for
   * every worker and hands the job back without counting an attempt).
   */
  pauseOnRateLimit?: boolean;
}

/** How one attempt ended. `retry`: it failed but another attempt may succeed (the runner waits and tries again). */
export type NodeOutcome =
  | { status: 'succeeded'; output: unknown }
  | { status: 'failed'; error: { code: string; message: string } }
  | { status: 'retry'; error: unknown };

/**
 * Runs one attempt of one node, as both runners do: the input is parsed by the step's schema (a
 * malformed one fails for good, with the reason), the attempt is recorded before the step starts
 * (a node already settled is not run again: its stored outcome is returned), the outputs of its
 * dependencies are loaded from the stored outcomes, and the result (output, or error with its
 * person-readable message) is stored before this resolves. An abort (cancel, shutdown) rejects
 * with the abort reason and leaves the outcome unsettled for the runner to deal with.
 */
export async function runNode(
  deps: PipelineDeps,
  work: WorkRow,
  node: WorkNode,
  options: RunNodeOptions,
): Promise<NodeOutcome> {
  const step = stepNamed(node.step);
  const log = deps.log.child({ step: node.id, workId: work.id });
  const parsed = step.input.safeParse(node.input);
  if (!parsed.success) {
    const error = { code: 'malformed_step', message: `Step ${node.id} has a malformed input: ${parsed.error.message}` };
    await markStepRunning(deps.db, { key: node.id, workId: work.id, name: node.step, runnerId: options.runnerId });
    await recordStepFailed(deps.db, node.id, error);
    return { status: 'failed', error };
  }
  const row = await markStepRunning(deps.db, {
    key: node.id,
    workId: work.id,
    name: node.step,
    runnerId: options.runnerId,
  });
  if (row.status === 'succeeded') return { status: 'succeeded', output: row.output };
  if (row.status === 'failed' || row.status === 'skipped') {
    return {
      status: 'failed',
      error: { code: row.error_code ?? 'generation_failed', message: row.error_message ?? '' },
    };
  }
  await onNodeStarted(deps, work, node);
  const ctx: StepContext = {
    deps,
    work,
    stepKey: node.id,
    signal: options.signal,
    log,
    files: options.files,
    outputs: await dependencyOutputs(deps, node),
  };
  try {
    const output = step.output.parse(await step.run(parsed.data, ctx));
    await recordStepSucceeded(deps.db, node.id, output);
    return { status: 'succeeded', output };
  } catch (error) {
    if (options.signal.aborted) throw options.signal.reason ?? error;
    if (abortCauseOf(error)) throw error;
    const described = describeError(error);
    if (options.pauseOnRateLimit === true && error instanceof ProviderError && error.status === 429) {
      await requeueStep(deps.db, node.id);
      return { status: 'retry', error };
    }
    if (!options.lastAttempt && worthRetrying(error)) {
      log.warn({ err: error, attempt: row.attempts }, 'step attempt failed; it will be tried again');
      await recordStepRetrying(deps.db, node.id, described.message);
      return { status: 'retry', error };
    }
    log.warn({ err: error, attempt: row.attempts }, 'step failed');
    await recordStepFailed(deps.db, node.id, described);
    return { status: 'failed', error: described };
  }
}

/** The stored outputs of the node's dependencies (then its after-nodes) that succeeded, in that order. */
async function dependencyOutputs(deps: PipelineDeps, node: WorkNode): Promise<DepOutput[]> {
  const ids = [...node.deps, ...node.after];
  const rows = new Map((await findSteps(deps.db, ids)).map((row) => [row.key, row]));
  return ids.flatMap((id) => {
    const row = rows.get(id);
    return row?.status === 'succeeded' ? [{ id, step: row.name, output: row.output }] : [];
  });
}

/** False for failures another attempt cannot fix: the person's input, a permanent fault, a bug in a schema. */
export function worthRetrying(error: unknown): boolean {
  if (error instanceof UserError || error instanceof PermanentError || error instanceof ZodError) return false;
  if (error instanceof ProviderError) return error.retryable;
  if (error instanceof RetryableError) return true;
  return true;
}

/**
 * The wait before attempt `attempt + 1` (attempt counts from 1): doubling from `delayMs` with full
 * jitter in its upper half, capped at `maxDelayMs`; a provider's Retry-After hint wins when longer.
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, error: unknown, random = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.delayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(exponential / 2 + (random() * exponential) / 2);
  const hint = error instanceof ProviderError || error instanceof RetryableError ? (error.retryAfterMs ?? 0) : 0;
  return Math.max(jittered, hint);
}
