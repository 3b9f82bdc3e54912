import type { Work } from '../pipeline/execute.js';

export type { Work } from '../pipeline/execute.js';

/**
 * Where video work runs: in this process (InlineRunner) or on BullMQ workers (QueueRunner, a
 * later issue). `submit` returns as soon as the work is accepted, never when it is done.
 */
export interface Runner {
  readonly kind: 'inline' | 'queue';
  submit(work: Work): Promise<void>;
  /** Stops the video's in-flight work and waits until it has stopped. */
  cancel(videoId: string): Promise<void>;
  /** Resolves when the video has no work running or queued (fronts that wait: the CLI, tests). */
  settled(videoId: string): Promise<void>;
  close(): Promise<void>;
}
