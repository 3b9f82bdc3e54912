import { APICallError, NoObjectGeneratedError, NoOutputGeneratedError, RetryError } from 'ai';

/**
 * Why an LLM call gave no plan, in one line for `fallbackReason` and the log: the HTTP status and
 * the server's message, an answer that was not JSON, no answer, or a network failure. Holds no
 * request headers (the API key never appears).
 */
export function describeLlmFailure(error: unknown): string {
  const cause = RetryError.isInstance(error) ? error.lastError : error;
  if (APICallError.isInstance(cause)) {
    const status = cause.statusCode === undefined ? 'no status' : `HTTP ${cause.statusCode}`;
    return `the LLM request failed (${status}): ${cause.message}`;
  }
  if (NoObjectGeneratedError.isInstance(cause)) {
    return `the LLM answer could not be read as a plan (${cause.message}): ${preview(cause.text)}`;
  }
  if (NoOutputGeneratedError.isInstance(cause)) return 'the LLM gave no answer';
  const message = cause instanceof Error ? cause.message : String(cause);
  return `the LLM request failed: ${message}`;
}

function preview(text: string | undefined): string {
  if (text === undefined || text.trim() === '') return '(empty)';
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > 120 ? `${flat.slice(0, 120)}…` : flat);
}
