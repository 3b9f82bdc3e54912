import type { Kysely } from 'kysely';
import type { Database, VideoRow } from '../db/schema.js';
import type { Logger } from '../log.js';
import type { ModelRegistry } from '../models/registry.js';
import type { Planner } from '../plan/llm/index.js';
import type { Providers } from '../providers/types.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { EventSink } from './events.js';
import type { VideoFiles } from './video-files.js';

/** Everything the pipeline steps need; built once per process and passed down (no singletons). */
export interface PipelineDeps {
  db: Kysely<Database>;
  storage: BlobStore;
  providers: Providers;
  registry: ModelRegistry;
  /** The LLM planner when OPENAI_API_KEY is set, else the rule planner (same schema either way). */
  planner: Planner;
  log: Logger;
  events: EventSink;
  /** Root of per-video scratch folders (`{workRoot}/{videoId}`), removed when a run ends. */
  workRoot: string;
  /** In-flight limits: generation calls per provider, local ffmpeg jobs. */
  limits: { provider: number; local: number };
  /** Default daily spend cap per user in USD (a user's own cap wins); undefined = none. */
  budget: { dailyUsd: number | undefined };
}

/** What one step of one video receives. `stepKey` is the step's idempotency key. */
export interface StepContext {
  deps: PipelineDeps;
  video: VideoRow;
  files: VideoFiles;
  signal: AbortSignal;
  stepKey: string;
  log: Logger;
}

/** `{videoId}.{step}.{scene}.{version}.{chunk}` (BullMQ forbids `:` in job ids, so dots). */
export function stepKey(videoId: string, step: string, ...parts: Array<string | number>): string {
  return [videoId, step, ...parts].join('.');
}
