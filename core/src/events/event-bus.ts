import { EventEmitter } from 'node:events';
import type { Kysely } from 'kysely';
import { insertEvent, latestEventSeq, listEventsAfter, markEventQueued } from '../db/events.js';
import type { Database, JsonObject } from '../db/schema.js';
import { findVideoById } from '../db/videos.js';
import type { Logger } from '../log.js';
import { eventIdFor } from './ids.js';
import {
  type EventBus,
  type EventNotifier,
  type EventWakeups,
  FINAL_EVENT_KINDS,
  type VideoEvent,
  type VideoEventInput,
} from './types.js';

export interface EventBusOptions {
  db: Kysely<Database>;
  log: Logger;
  /** Hands events of Discord/Slack videos to their notification queue; absent without Redis. */
  notifier?: EventNotifier | undefined;
  /** Wakes subscribers in other processes; absent in a single process (InlineRunner). */
  wakeups?: EventWakeups | undefined;
  /** How often a subscriber re-reads the table when no wake-up came (a lost one costs at most this). */
  pollMs?: number;
}

/** The platforms whose fronts consume a notification queue, and the queue's name. */
const NOTIFY_QUEUES: Readonly<Record<string, string>> = { discord: 'notify-discord', slack: 'notify-slack' };
const MAX_CACHED_ORIGINS = 1000;

/**
 * The event bus every runner and front shares: each event is stored in Postgres (`events`, a
 * stable id per cause, ordered by `seq`) before anything else happens, then handed to the video's
 * notification queue when its origin is Discord or Slack, then announced to subscribers in this
 * process and, through `wakeups`, in every other one. Subscribers read the table, so whatever
 * process emitted an event, every subscriber sees every event once and in order (`seq` is
 * per video, in commit order), and a lost
 * wake-up only delays it by `pollMs`. An event whose queue hand-off failed stays marked unqueued
 * for the worker's relay (`relayUnqueuedEvents`).
 */
export function createEventBus(options: EventBusOptions): EventBus {
  const { db, log } = options;
  const pollMs = options.pollMs ?? 1000;
  const local = new EventEmitter();
  local.setMaxListeners(0);
  const stopListening = options.wakeups?.listen((videoId) => local.emit(videoId));
  const origins = new Map<string, { queue: string | null; origin: JsonObject }>();

  const originOf = async (videoId: string) => {
    const cached = origins.get(videoId);
    if (cached) return cached;
    const origin = ((await findVideoById(db, videoId))?.origin ?? {}) as JsonObject;
    const queue = NOTIFY_QUEUES[String(origin.platform)] ?? null;
    const entry = { queue, origin };
    if (origins.size >= MAX_CACHED_ORIGINS) origins.delete(origins.keys().next().value as string);
    origins.set(videoId, entry);
    return entry;
  };

  return {
    async emit(input: VideoEventInput, cause?: string) {
      const draft: VideoEvent = { ...input, id: eventIdFor(cause), at: new Date().toISOString() };
      const { queue, origin } = await originOf(input.videoId);
      const stored = await insertEvent(db, {
        id: draft.id,
        video_id: draft.videoId,
        kind: draft.kind,
        payload: draft as unknown as JsonObject,
        notify_queue: queue && options.notifier ? queue : null,
      });
      if (!stored) return undefined;
      const event = stored.payload as unknown as VideoEvent;
      if (queue && options.notifier) {
        try {
          await options.notifier.enqueue(queue, event, origin);
          await markEventQueued(db, event.id);
        } catch (error) {
          log.warn({ err: error, eventId: event.id, queue }, 'event not handed to its notification queue yet');
        }
      }
      local.emit(event.videoId);
      options.wakeups?.publish(event.videoId);
      return event;
    },

    async *subscribe(videoId, signal) {
      let cursor = await latestEventSeq(db, videoId);
      while (!signal?.aborted) {
        const rows = await listEventsAfter(db, videoId, cursor);
        for (const row of rows) {
          cursor = Number(row.seq);
          const event = row.payload as unknown as VideoEvent;
          yield event;
          if (FINAL_EVENT_KINDS.has(event.kind)) return;
        }
        if (rows.length === 0) await wakeOrTimeout(local, videoId, pollMs, signal);
      }
    },

    close() {
      stopListening?.();
    },
  };
}

/** Resolves on the next local or remote event of `videoId`, after `ms`, or when `signal` aborts. */
function wakeOrTimeout(emitter: EventEmitter, videoId: string, ms: number, signal: AbortSignal | undefined) {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      emitter.off(videoId, done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    emitter.once(videoId, done);
    signal?.addEventListener('abort', done, { once: true });
  });
}
