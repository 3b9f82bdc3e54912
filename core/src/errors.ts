/**
 * Errors are classified by what the caller should do with them (CONVENTIONS.md §6).
 * Every class keeps `cause`; never wrap with `new Error(String(e))`.
 */

type ErrorOptions = { cause?: unknown };

/** A failure the person who asked can act on. `code` is stable: fronts and tests match on it. */
export class UserError extends Error {
  override readonly name: string = 'UserError';
  readonly code: string;
  /** Extra facts a front may show (the valid values of a bad option, say). */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: string, message: string, options: ErrorOptions & { details?: Record<string, unknown> } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.details = options.details ? Object.freeze({ ...options.details }) : undefined;
  }
}

/** A transient failure: try again after `retryAfterMs` (or the caller's own backoff when undefined). */
export class RetryableError extends Error {
  override readonly name: string = 'RetryableError';
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: ErrorOptions & { retryAfterMs?: number } = {}) {
    super(message, { cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Trying again cannot help (maps to BullMQ's UnrecoverableError). */
export class PermanentError extends Error {
  override readonly name: string = 'PermanentError';

  constructor(message: string, options: ErrorOptions = {}) {
    super(message, { cause: options.cause });
  }
}

/** A remote backend (Replicate, an LLM, S3) answered with a failure. */
export class ProviderError extends Error {
  override readonly name: string = 'ProviderError';
  readonly provider: string;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(
    provider: string,
    message: string,
    options: ErrorOptions & { status?: number; requestId?: string; retryable?: boolean; retryAfterMs?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.provider = provider;
    this.status = options.status;
    this.requestId = options.requestId;
    this.retryable = options.retryable ?? isRetryableStatus(options.status);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** 408, 409, 425, 429 and 5xx are worth another try; other statuses are not. A missing status (network) is. */
export function isRetryableStatus(status: number | undefined): boolean {
  if (status === undefined) return true;
  return status === 408 || status === 409 || status === 425 || status === 429 || status >= 500;
}

/** True when `error` (or anything in its cause chain) says another attempt could succeed. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof UserError || error instanceof PermanentError) return false;
  if (error instanceof RetryableError) return true;
  if (error instanceof ProviderError) return error.retryable;
  return false;
}

/** The message to show a person: a UserError's own text, otherwise a generic line (details go to the log). */
export function userMessage(error: unknown): string {
  if (error instanceof UserError) return error.message;
  return 'Something went wrong on our side. It has been logged; please try again.';
}

/** Why a step's signal was aborted: the video was cancelled (stop, clean up) or its process is stopping (hand back). */
export type AbortCause = 'cancelled' | 'shutdown';

const ABORT_MESSAGES: Record<AbortCause, string> = {
  cancelled: 'The video was cancelled',
  shutdown: 'The worker is shutting down',
};

/** The `AbortError` a runner aborts a step with; `abortCauseOf` reads the cause back. */
export function abortError(cause: AbortCause): DOMException {
  return new DOMException(ABORT_MESSAGES[cause], 'AbortError');
}

/** The cause of an abort made with `abortError`, else undefined. */
export function abortCauseOf(reason: unknown): AbortCause | undefined {
  if (!(reason instanceof Error) || reason.name !== 'AbortError') return undefined;
  if (reason.message === ABORT_MESSAGES.cancelled) return 'cancelled';
  if (reason.message === ABORT_MESSAGES.shutdown) return 'shutdown';
  return undefined;
}

/**
 * What a person (and a later reader of a stored step outcome) is told about a failure: the error's
 * own message when it is one of ours (user, provider, permanent, retryable), else a short generic
 * line with the first line of the message. Stack traces stay in the log.
 */
export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof UserError) return { code: error.code, message: error.message };
  if (error instanceof ProviderError) return { code: 'provider_failed', message: error.message };
  if (error instanceof PermanentError || error instanceof RetryableError) {
    return { code: 'generation_failed', message: error.message };
  }
  const text = error instanceof Error ? error.message : String(error);
  return { code: 'generation_failed', message: `Generation failed: ${text.split('\n')[0]}` };
}

/** Codes `describeError` gives failures that are not the person's to fix. */
const INTERNAL_CODES: ReadonlySet<string> = new Set(['provider_failed', 'generation_failed', 'malformed_step']);

/**
 * A stored failure (`describeError`'s shape, kept on a step or a work) as an error again: a
 * UserError with its code when the person can act on it, else a PermanentError with its message.
 */
export function errorFromStored(stored: { code: string | null; message: string | null }): Error {
  const message = stored.message ?? 'It failed.';
  if (stored.code && !INTERNAL_CODES.has(stored.code)) return new UserError(stored.code, message);
  return new PermanentError(message);
}
