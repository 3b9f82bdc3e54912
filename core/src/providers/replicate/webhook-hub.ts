import type { Prediction } from 'replicate';

const TERMINAL = new Set(['succeeded', 'failed', 'canceled', 'aborted']);
const MAX_REMEMBERED = 1000;

/**
 * Where verified webhooks meet the calls waiting in this process. A delivery that arrives before
 * anyone waits (a fast prediction, or a create whose answer was lost) is remembered, by Replicate id
 * and by correlation id (our prediction row id), for the next waiter or orphan search; at most the
 * newest 1000 are kept.
 */
export function createWebhookHub() {
  const latest = new Map<string, Prediction>();
  const byCorrelation = new Map<string, Prediction>();
  const waiters = new Map<string, Set<(prediction: Prediction) => void>>();

  const remember = <K>(map: Map<K, Prediction>, key: K, prediction: Prediction) => {
    map.delete(key);
    map.set(key, prediction);
    if (map.size > MAX_REMEMBERED) map.delete(map.keys().next().value as K);
  };

  return {
    /** Records a verified delivery and wakes whoever waits for that prediction. */
    deliver(prediction: Prediction, correlationId?: string): void {
      const previous = latest.get(prediction.id);
      if (previous && TERMINAL.has(previous.status) && !TERMINAL.has(prediction.status)) return;
      remember(latest, prediction.id, prediction);
      if (correlationId) remember(byCorrelation, correlationId, prediction);
      for (const wake of [...(waiters.get(prediction.id) ?? [])]) wake(prediction);
    },

    /** The newest delivery for Replicate id `id`, if any. */
    latest: (id: string): Prediction | undefined => latest.get(id),

    /** The newest delivery whose webhook URL carried `correlationId`, if any. */
    byCorrelation: (correlationId: string): Prediction | undefined => byCorrelation.get(correlationId),

    /** Calls `onDelivery` for every later delivery of `id` until the returned function is called. */
    subscribe(id: string, onDelivery: (prediction: Prediction) => void): () => void {
      let set = waiters.get(id);
      if (!set) {
        set = new Set();
        waiters.set(id, set);
      }
      set.add(onDelivery);
      return () => {
        set.delete(onDelivery);
        if (set.size === 0) waiters.delete(id);
      };
    },
  };
}

export type WebhookHub = ReturnType<typeof createWebhookHub>;
