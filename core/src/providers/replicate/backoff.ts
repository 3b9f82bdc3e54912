import { setTimeout as sleepTimer } from 'node:timers/promises';
import { abortReason } from '../../media/run-ffmpeg.js';

/** How one family of requests backs off between attempts. Milliseconds. */
export interface BackoffPolicy {
  /** The first delay, and the shortest wait ever taken; each later one doubles, up to `maxMs`. */
  baseMs: number;
  maxMs: number;
}

/**
 * The delay before attempt `attempt + 1` (attempt counts from 0). Without a hint: exponential with
 * jitter (between half and all of `base × 2^attempt`, capped at `maxMs`). With `hintMs` (a
 * `Retry-After`, or the body's "resets in ~Ns"): the hint, never less than `baseMs`, plus up to
 * 10 % jitter so many throttled workers do not return at the same instant. `random` returns [0, 1).
 */
export function backoffDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  hintMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (hintMs !== undefined) return Math.ceil(Math.max(hintMs, policy.baseMs) * (1 + random() * 0.1));
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/** Waits `ms`; rejects with the signal's reason as soon as it is aborted. */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleepTimer(Math.max(0, ms), undefined, { signal });
  } catch (error) {
    if (signal.aborted) throw abortReason(signal);
    throw error;
  }
}
