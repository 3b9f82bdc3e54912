import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@reelsmith/core';
import { ErrorCode, type WebAPIRateLimitedError, WebClient } from '@slack/web-api';

/** A Web API answer: `ok` and whatever the method returns. */
export type SlackAnswer = Record<string, unknown> & { ok?: boolean };

export interface SlackCalls {
  /** Calls `method`; a 429 waits its `Retry-After` and calls again (a limited call did nothing). */
  call(method: string, args: Record<string, unknown>): Promise<SlackAnswer>;
  /** POSTs a file's bytes to the upload URL `files.getUploadURLExternal` gave. */
  upload(uploadUrl: string, bytes: Buffer): Promise<void>;
}

/** Slack errors that no retry fixes: the notification is dropped with a log line instead of retried forever. */
export const PERMANENT_SLACK_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'missing_scope',
  'invalid_blocks',
  'msg_too_long',
]);

/** The Slack error code of a failed call (`channel_not_found`, …), if it is one. */
export function slackError(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/**
 * Web API calls for the notification consumer. The client itself never retries (a timed-out
 * `chat.postMessage` or `files.completeUploadExternal` may have gone through, so the caller checks
 * before trying again); a 429 is the one safe retry, after the wait Slack asks for.
 */
export function createSlackCalls(options: {
  token: string;
  apiUrl?: string | undefined;
  timeoutMs?: number | undefined;
  log: Logger;
  maxRateLimitWaits?: number;
}): SlackCalls {
  const client = new WebClient(options.token, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 30_000,
  });
  const maxWaits = options.maxRateLimitWaits ?? 5;
  return {
    async call(method, args) {
      for (let waits = 0; ; waits += 1) {
        try {
          return (await client.apiCall(method, args)) as SlackAnswer;
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (code !== ErrorCode.RateLimitedError || waits >= maxWaits) throw error;
          const retryAfterS = (error as WebAPIRateLimitedError).retryAfter;
          options.log.info({ method, retryAfterS }, 'slack rate limit: waiting as asked');
          await sleep(retryAfterS * 1000);
        }
      }
    },
    async upload(uploadUrl, bytes) {
      const res = await fetch(uploadUrl, {
        method: 'POST',
        body: bytes,
        headers: { 'content-type': 'application/octet-stream' },
        signal: AbortSignal.timeout(options.timeoutMs ?? 120_000),
      });
      if (!res.ok) throw new Error(`Slack refused the upload: HTTP ${res.status} ${await res.text()}`);
    },
  };
}
