import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '@reelsmith/core';

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface ProgressReporter {
  /** Sends `percent` (0–100) when it is above everything sent before; lower or equal values are dropped. */
  report(percent: number, message?: string): void;
  /** Resolves when every notification sent so far has been handed to the transport. */
  flush(): Promise<void>;
}

/**
 * `notifications/progress` for the request in `extra`, only when the caller sent
 * `_meta.progressToken`. Progress is strictly increasing (MCP requires it), total 100, and the
 * notifications go out in order, before the tool's result once `flush` is awaited.
 */
export function createProgressReporter(extra: ToolExtra, log: Logger): ProgressReporter {
  const token = extra._meta?.progressToken;
  let last = Number.NEGATIVE_INFINITY;
  let queue: Promise<void> = Promise.resolve();
  return {
    report(percent, message) {
      if (token === undefined) return;
      const progress = Math.round(Math.min(100, Math.max(0, percent)) * 10) / 10;
      if (!(progress > last)) return;
      last = progress;
      queue = queue.then(() =>
        extra
          .sendNotification({
            method: 'notifications/progress',
            params: { progressToken: token, progress, total: 100, ...(message ? { message } : {}) },
          })
          .catch((error: unknown) => log.debug({ err: error }, 'progress notification not delivered')),
      );
    },
    flush: () => queue,
  };
}
