import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { EmbeddingProvider } from '../embeddings/types.js';
import type { EventSink } from '../events/types.js';
import type { Logger } from '../log.js';
import type { ModelRegistry } from '../models/registry.js';
import type { Planner } from '../plan/llm/index.js';
import type { PairPicker } from '../plan/pairs/types.js';
import type { Providers } from '../providers/types.js';
import type { BlobStore } from '../storage/blob-store.js';

/** Everything the pipeline steps need; built once per process and passed down (no singletons). */
export interface PipelineDeps {
  db: Kysely<Database>;
  storage: BlobStore;
  providers: Providers;
  /** The animatic previews render with on a paid deployment (`providersFor`); created on first use when absent. */
  previewProviders?: Providers;
  registry: ModelRegistry;
  /** The LLM planner when OPENAI_API_KEY is set, else the rule planner (same schema either way). */
  planner: Planner;
  /** Image pairs: the vision-LLM picker when OPENAI_API_KEY is set; absent = the similarity picker. */
  pairPicker?: PairPicker | undefined;
  log: Logger;
  events: EventSink;
  /** Root of scratch folders (one per work inline, one per job on a worker), removed when done. */
  workRoot: string;
  /** In-flight limits: generation calls per provider, local ffmpeg jobs (the InlineRunner's pools). */
  limits: { provider: number; local: number };
  /** Default daily spend cap per user in USD (a user's own cap wins); undefined = none. */
  budget: { dailyUsd: number | undefined };
  /** Videos one user may have running at once; further ones wait in line (USER_CONCURRENT_VIDEOS). */
  userConcurrentVideos: number;
  /** Embeds the assets steps make (character references); absent = the local perceptual embedding. */
  embeddings?: EmbeddingProvider | undefined;
}

/** `{videoId}.{step}.{scene}.{version}.{chunk}` (BullMQ forbids `:` in job ids, so dots). */
export function stepKey(owner: string, step: string, ...parts: Array<string | number>): string {
  return [owner, step, ...parts].join('.');
}
