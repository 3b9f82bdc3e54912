import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Providers } from '../../src/providers/types.js';

export interface ClipCall {
  stepKey: string;
  /** The storage key the first frame was materialised from (cache files are named after their keys). */
  firstFrameKey: string | undefined;
  startedAt: number;
  endedAt: number;
}

/**
 * Wraps real providers to record each clip request, optionally slowing every call down: the
 * pipeline under test is unchanged, only observed.
 */
export function recordingProviders(inner: Providers, options: { delayMs?: number } = {}) {
  const clipCalls: ClipCall[] = [];
  const providers: Providers = {
    ...inner,
    video: {
      name: inner.video.name,
      async generateClip(req, ctx) {
        const startedAt = performance.now();
        if (options.delayMs) await sleep(options.delayMs, undefined, { signal: ctx.signal });
        const result = await inner.video.generateClip(req, ctx);
        clipCalls.push({
          stepKey: ctx.stepKey,
          firstFrameKey: req.firstFrame ? basename(req.firstFrame).replaceAll('__', '/') : undefined,
          startedAt,
          endedAt: performance.now(),
        });
        return result;
      },
    },
  };
  return { providers, clipCalls };
}

/** The most clip calls that were in flight at one instant. */
export function peakInFlight(calls: readonly ClipCall[]): number {
  const edges = calls.flatMap((call) => [
    { at: call.startedAt, delta: 1 },
    { at: call.endedAt, delta: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let inFlight = 0;
  let peak = 0;
  for (const edge of edges) {
    inFlight += edge.delta;
    peak = Math.max(peak, inFlight);
  }
  return peak;
}
