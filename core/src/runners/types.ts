import type { RunnerKind, WorkRow } from '../db/schema.js';
import type { WorkRequest } from '../jobs/work-request.js';

export type { WorkRequest } from '../jobs/work-request.js';

/**
 * Where work runs: in this process (InlineRunner) or on BullMQ workers (QueueRunner). Both record
 * the work in Postgres, admit it through its owner's line, and execute the same graph of catalog
 * steps; `submit` returns as soon as the work is recorded, never when it is done.
 */
export interface Runner {
  readonly kind: RunnerKind;
  /** Records the work (waiting in its owner's line, or started). */
  submit(request: WorkRequest): Promise<WorkRow>;
  /**
   * Stops the video's work wherever it runs (queued steps removed, running ones aborted, in-flight
   * predictions cancelled by the step's provider) and waits, within a bound, until it has stopped.
   * The caller has already marked the video cancelled.
   */
  cancel(videoId: string): Promise<void>;
  /** Resolves when the video has no work waiting or running (fronts that wait: the CLI, tests). */
  settled(videoId: string): Promise<void>;
  /** Resolves when this work has ended, with its final row. */
  workSettled(workId: string): Promise<WorkRow>;
  close(): Promise<void>;
}
