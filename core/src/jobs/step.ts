import type { z } from 'zod';
import type { VideoStatus, WorkRow } from '../db/schema.js';
import type { Logger } from '../log.js';
import type { PipelineDeps } from '../pipeline/context.js';
import type { VideoFiles } from '../pipeline/video-files.js';

/** Where a step runs: the provider pool (paid or rendered generations, capped) or local ffmpeg work. */
export type StepPool = 'provider' | 'local';

/**
 * How often a step is tried and how long to wait in between: `attempts` in all (the first
 * included); the delays double from `delayMs` (with jitter) up to `maxDelayMs`, and a provider's
 * Retry-After wins. Errors that cannot be fixed by trying again (UserError, PermanentError, a
 * non-retryable ProviderError) are never retried.
 */
export interface RetryPolicy {
  attempts: number;
  delayMs: number;
  maxDelayMs: number;
}

/** A settled dependency of a node as the step sees it: its node id, step name and JSON output. */
export interface DepOutput {
  id: string;
  step: string;
  output: unknown;
}

/** What every step receives besides its input. Steps never know which runner runs them. */
export interface StepContext {
  deps: PipelineDeps;
  work: WorkRow;
  /** The node id: the step's idempotency key (predictions and ledger rows are recorded under it). */
  stepKey: string;
  signal: AbortSignal;
  log: Logger;
  /** Storage keys as local files (downloaded once), and scratch folders. */
  files: VideoFiles;
  /** Outputs of the node's dependencies that succeeded, in the node's dependency order. */
  outputs: readonly DepOutput[];
}

/**
 * One step of the catalog: data (name, input and output schemas, pool, retry policy, the video
 * stage it stands for) plus one function. `input` holds ids, storage keys and small scalars only;
 * `run` loads what it needs by id and returns small JSON (storage keys and the facts later steps
 * need). `run` must be idempotent: a re-run (a retry, a second delivery, a killed worker's job)
 * resumes from what the step recorded and writes nothing twice.
 */
export interface StepDefinition<I = unknown, O = unknown> {
  readonly name: string;
  readonly input: z.ZodType<I>;
  readonly output: z.ZodType<O>;
  readonly pool: StepPool;
  /** The video moves to this stage (never back) when the step starts. */
  readonly stage?: VideoStatus;
  readonly retry: RetryPolicy;
  run(input: I, ctx: StepContext): Promise<O>;
}

/** Declares a step, keeping its literal name and typed input/output. */
export function defineStep<const N extends string, I, O>(step: StepDefinition<I, O> & { name: N }) {
  return step;
}

/** The outputs of `ctx`'s dependencies made by `step`, parsed with its output schema, in dependency order. */
export function outputsOf<O>(ctx: StepContext, step: StepDefinition<unknown, O>): O[] {
  return ctx.outputs.filter((dep) => dep.step === step.name).map((dep) => step.output.parse(dep.output));
}

/** Retry policies shared by the catalog. */
export const PROVIDER_RETRY: RetryPolicy = { attempts: 3, delayMs: 2000, maxDelayMs: 60_000 };
export const LOCAL_RETRY: RetryPolicy = { attempts: 2, delayMs: 1000, maxDelayMs: 10_000 };
