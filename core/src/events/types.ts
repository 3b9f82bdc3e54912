import type { VideoStatus } from '../db/schema.js';

/** Progress and results of a video, as fronts (CLI, MCP, bots) receive them. */
export interface VideoEvent {
  /** Stable per cause: the same event emitted twice (a re-run step) is stored and delivered once. */
  id: string;
  videoId: string;
  at: string;
  kind:
    | 'queued'
    | 'progress'
    | 'storyboard_ready'
    | 'scene_ready'
    | 'video_ready'
    | 'awaiting_approval'
    | 'failed'
    | 'cancelled';
  stage: VideoStatus;
  /** 0–100, never decreasing within one run. */
  percent: number;
  /** 1-based scene number, for scene events. */
  sceneIndex?: number;
  /** How many scenes the video has, once planned. */
  sceneCount?: number;
  /** 1-based place in its owner's line while the video waits (`queued`). */
  queuePosition?: number;
  /** Seconds until the video is expected to be ready (from the registry's typical latencies). */
  etaS?: number;
  message?: string;
}

export type VideoEventInput = Omit<VideoEvent, 'id' | 'at'>;

export const FINAL_EVENT_KINDS: ReadonlySet<VideoEvent['kind']> = new Set(['video_ready', 'failed', 'cancelled']);

export interface EventSink {
  /**
   * Stores the event and delivers it. `cause` names what happened (e.g. `{workId}.{stepKey}.scene_ready`)
   * and makes the id deterministic: emitting the same cause again stores and delivers nothing.
   * Resolves with the event, or undefined when that cause was already emitted.
   */
  emit(event: VideoEventInput, cause?: string): Promise<VideoEvent | undefined>;
}

export interface EventBus extends EventSink {
  /**
   * Events of one video from now on, in the order they were stored, whichever process emitted
   * them, until `signal` aborts or the video ends (ready/failed/cancelled).
   */
  subscribe(videoId: string, signal?: AbortSignal): AsyncIterable<VideoEvent>;
  /** Stops listening for other processes' wake-ups. */
  close(): void;
}

/** Where the bus hands events that must reach a front's notification queue (`notify-discord`, …). */
export interface EventNotifier {
  /** Adds the event to `queue` as a job whose id is the event id (a second add is a no-op). */
  enqueue(queue: string, event: VideoEvent, origin: Record<string, unknown>): Promise<void>;
}

/** Cross-process wake-ups: "video X has a new event" (Redis pub/sub when the queue runner is on). */
export interface EventWakeups {
  publish(videoId: string): void;
  /** Calls `onWake` for every published video id until the returned function is called. */
  listen(onWake: (videoId: string) => void): () => void;
}
