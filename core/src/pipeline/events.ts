import { randomUUID } from 'node:crypto';
import { EventEmitter, on } from 'node:events';
import type { VideoStatus } from '../db/schema.js';

/** Progress and results of a video, as fronts (CLI, MCP, bots) receive them. */
export interface VideoEvent {
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
  queuePosition?: number;
  etaS?: number;
  message?: string;
}

export type VideoEventInput = Omit<VideoEvent, 'id' | 'at'>;

export interface EventSink {
  emit(event: VideoEventInput): VideoEvent;
}

export interface EventBus extends EventSink {
  /** Events of one video from now on, until `signal` aborts or the video ends (ready/failed/cancelled). */
  subscribe(videoId: string, signal?: AbortSignal): AsyncIterable<VideoEvent>;
}

const FINAL_KINDS: ReadonlySet<VideoEvent['kind']> = new Set(['video_ready', 'failed', 'cancelled']);

/** In-process event bus (one process: CLI, MCP on a laptop). A queue-backed bus comes with the worker. */
export function createEventBus(): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    emit(input) {
      const event: VideoEvent = { ...input, id: randomUUID(), at: new Date().toISOString() };
      emitter.emit(input.videoId, event);
      return event;
    },
    async *subscribe(videoId, signal) {
      const controller = new AbortController();
      const stop = () => controller.abort();
      signal?.addEventListener('abort', stop, { once: true });
      try {
        for await (const [event] of on(emitter, videoId, { signal: controller.signal })) {
          yield event as VideoEvent;
          if (FINAL_KINDS.has((event as VideoEvent).kind)) return;
        }
      } catch (error) {
        if ((error as Error).name !== 'AbortError') throw error;
      } finally {
        signal?.removeEventListener('abort', stop);
      }
    },
  };
}
