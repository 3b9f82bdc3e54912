import { ProviderError, UserError } from '../../errors.js';
import { abortReason } from '../../media/run-ffmpeg.js';
import type { RequestFailure } from './guarded-fetch.js';

/** The provider name on every error this adapter raises. */
export const PROVIDER = 'replicate';

const MODERATION =
  /\(E005\)|flagged as sensitive|nsfw|safety (?:checker|filter|system)|content (?:policy|moderation)|moderat/i;
const INVALID_INPUT = /input validation|invalid input|validation error|is not a valid|must be (?:one of|less|greater)/i;
const RESET_HINT =
  /(?:available in|resets? in|try again in|retry in)\s*~?\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?)\b/i;
const REQUEST_ID_HEADERS = ['x-request-id', 'request-id', 'replicate-request-id', 'cf-ray'];

/**
 * Milliseconds to wait before trying again, from a `Retry-After` header (seconds or an HTTP date)
 * and the body's own hint ("Expected available in 3 seconds", "resets in ~30s"): the larger of the
 * two, undefined when neither says. `now` is ms since the epoch.
 */
export function retryAfterMs(headers: Headers, body: string, now: number = Date.now()): number | undefined {
  const hints: number[] = [];
  const header = headers.get('retry-after')?.trim();
  if (header) {
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0) hints.push(seconds * 1000);
    else if (!Number.isNaN(Date.parse(header))) hints.push(Math.max(0, Date.parse(header) - now));
  }
  const match = RESET_HINT.exec(body);
  if (match) {
    const value = Number(match[1]);
    const unit = (match[2] ?? 's').toLowerCase();
    hints.push(
      unit.startsWith('ms') || unit.startsWith('milli') ? value : unit.startsWith('m') ? value * 60_000 : value * 1000,
    );
  }
  return hints.length > 0 ? Math.max(...hints) : undefined;
}

/** The `detail` (and `title`) of Replicate's problem body, else the body itself, trimmed. */
export function problemDetail(body: string): string {
  try {
    const parsed = JSON.parse(body) as { detail?: unknown; title?: unknown };
    const detail = typeof parsed.detail === 'string' ? parsed.detail : undefined;
    const title = typeof parsed.title === 'string' ? parsed.title : undefined;
    if (detail || title) return [title, detail].filter(Boolean).join(': ');
  } catch {}
  return body.trim().slice(0, 500);
}

function requestIdOf(headers: Headers): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}

/**
 * Maps a failed request to our errors: 422 → UserError `invalid_model_input` with Replicate's detail;
 * everything else → ProviderError carrying the status, request id and retry-after hint (a missing
 * status means no answer arrived: retryable). `what` names the call ("create a prediction of X").
 */
export function errorFromFailure(failure: RequestFailure, what: string, cause: unknown): Error {
  const { status, body, headers } = failure;
  if (status === 422) {
    const detail = problemDetail(body);
    return new UserError('invalid_model_input', `Replicate refused the input to ${what}: ${detail}`, {
      cause,
      details: { status, detail },
    });
  }
  const requestId = requestIdOf(headers);
  const wait = retryAfterMs(headers, body);
  const why =
    status === undefined
      ? failure.timedOut
        ? 'no answer before the request timed out'
        : `no answer (${describeNetworkError(failure.networkError)})`
      : `HTTP ${status}: ${problemDetail(body) || 'no detail'}`;
  return new ProviderError(PROVIDER, `Replicate could not ${what}: ${why}`, {
    cause: failure.networkError ?? cause,
    ...(status === undefined ? {} : { status }),
    ...(requestId ? { requestId } : {}),
    ...(wait === undefined ? {} : { retryAfterMs: wait }),
  });
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const code = cause && typeof cause === 'object' && 'code' in cause ? String((cause as { code: unknown }).code) : '';
  return [error.message, code].filter(Boolean).join(': ');
}

/**
 * The error a finished-but-failed prediction stands for: moderation → UserError `content_rejected`,
 * an input the model refused → UserError `invalid_model_input` (both carry the model's message and
 * are never retried); anything else → PredictionFailedError (retryable; its request id is the prediction id).
 */
export function errorFromFailedPrediction(modelKey: string, predictionId: string, message: string | null): Error {
  const text = message?.trim() || 'the prediction failed without a message';
  if (MODERATION.test(text)) {
    return new UserError('content_rejected', `The model '${modelKey}' refused the content: ${text}`, {
      details: { model: modelKey, predictionId, message: text },
    });
  }
  if (INVALID_INPUT.test(text)) {
    return new UserError('invalid_model_input', `The model '${modelKey}' refused its input: ${text}`, {
      details: { model: modelKey, predictionId, message: text },
    });
  }
  return new PredictionFailedError(`Prediction ${predictionId} of '${modelKey}' failed: ${text}`, predictionId);
}

/** A prediction that ran and ended `failed` for a reason another prediction might not hit (retryable). */
export class PredictionFailedError extends ProviderError {
  override readonly name: string = 'PredictionFailedError';

  constructor(message: string, predictionId: string) {
    super(PROVIDER, message, { requestId: predictionId, retryable: true });
  }
}

/** Throws the signal's reason when it is aborted. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortReason(signal);
}
