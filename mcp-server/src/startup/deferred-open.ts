/** Something slow to open (the app and its database), opened once in the background and shared. */
export interface DeferredOpen<T> {
  /** Starts opening in the background; does nothing when an open has started already. */
  start(): void;
  /**
   * The opened value, starting the open when nothing started it and waiting for the open in flight.
   * When an open fails, the next call rejects with that failure and the call after it starts a new
   * open (a database that comes back is picked up without a restart).
   */
  get(): Promise<T>;
  /**
   * Closes what was opened (nothing when nothing was, or the open failed), waiting for an open in
   * flight at most `graceMs`: resolves true once closed, false when the open was still running (it
   * is then closed when it finishes, if the process still runs). `get` rejects afterwards.
   */
  close(graceMs?: number): Promise<boolean>;
}

/**
 * Defers `open()` until `start()` or the first `get()`, so a process can answer what needs nothing
 * opened (MCP `initialize`, `tools/list`) before it starts the slow part.
 */
export function deferOpen<T>(open: () => Promise<T>, release: (value: T) => Promise<void>): DeferredOpen<T> {
  let attempt: Promise<T> | undefined;
  let failureSeen = false;
  let closing: Promise<void> | undefined;

  function begin(): Promise<T> {
    failureSeen = false;
    const started = open();
    started.catch(() => {}); // reported to the next caller of get(), not as an unhandled rejection
    attempt = started;
    return started;
  }

  return {
    start() {
      if (!attempt && !closing) begin();
    },
    async get() {
      if (closing) throw new Error('closed');
      const current = !attempt || failureSeen ? begin() : attempt;
      try {
        return await current;
      } catch (error) {
        if (current === attempt) failureSeen = true;
        throw error;
      }
    },
    async close(graceMs = Number.POSITIVE_INFINITY) {
      closing ??= attempt ? attempt.then(release, () => {}) : Promise.resolve();
      if (graceMs === Number.POSITIVE_INFINITY) return closing.then(() => true);
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      });
      return Promise.race([closing.then(() => true as const), gaveUp]).finally(() => clearTimeout(timer));
    },
  };
}
