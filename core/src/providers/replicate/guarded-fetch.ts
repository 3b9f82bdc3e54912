/**
 * What really happened to a request the `replicate` client saw fail. The client only ever sees a
 * plain non-retryable response; this record keeps the truth for our own error mapping.
 */
export interface RequestFailure {
  method: string;
  url: string;
  /** The HTTP status Replicate answered; undefined when no answer arrived. */
  status: number | undefined;
  /** The response body (empty when no answer arrived). */
  body: string;
  headers: Headers;
  /** The thrown fetch error (connection reset, DNS, timeout) when no answer arrived. */
  networkError?: unknown;
  /** True when our own per-request timeout cut the request off. */
  timedOut: boolean;
}

/** Status of the stand-in response: below 500 and not 429, so the client never retries it. */
export const STAND_IN_STATUS = 499;

export interface GuardedFetch {
  /** Give this to `new Replicate({ fetch })`. */
  fetch: typeof fetch;
  /** The failure behind a response the client rejected (the `response` of its ApiError). */
  failureOf(response: unknown): RequestFailure | undefined;
}

/**
 * Wraps `inner` so the `replicate` client can never blind-retry: its `withAutomaticRetries` retries
 * a POST on any thrown error and on 429 (and a GET on 5xx) in a tight loop. Here a thrown error, a
 * 429 and a 5xx all become one stand-in response (status 499) that the client rejects at once with
 * an ApiError; every non-ok response is recorded (status, body, headers) so `failureOf` can map it
 * back to a typed error. Each request is also cut off after `requestTimeoutMs`.
 */
export function createGuardedFetch(inner: typeof fetch, options: { requestTimeoutMs: number }): GuardedFetch {
  const failures = new WeakMap<object, RequestFailure>();

  const standIn = (failure: RequestFailure, status: number): Response => {
    const response = new Response(failure.body, { status, headers: failure.headers });
    failures.set(response, failure);
    return response;
  };

  const guarded = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    const method = (init?.method ?? 'GET').toUpperCase();
    const url = input instanceof Request ? input.url : String(input);
    const timeout = AbortSignal.timeout(options.requestTimeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await inner(input, { ...init, signal });
    } catch (networkError) {
      const timedOut = timeout.aborted && !init?.signal?.aborted;
      const failure = { method, url, status: undefined, body: '', headers: new Headers(), networkError, timedOut };
      return standIn(failure, STAND_IN_STATUS);
    }
    if (response.ok) return response;
    const body = await response.text().catch(() => '');
    const failure: RequestFailure = {
      method,
      url,
      status: response.status,
      body,
      headers: response.headers,
      timedOut: false,
    };
    const retriedByClient = response.status === 429 || response.status >= 500;
    return standIn(failure, retriedByClient ? STAND_IN_STATUS : response.status);
  };

  return {
    fetch: guarded as typeof fetch,
    failureOf: (response) => (response && typeof response === 'object' ? failures.get(response) : undefined),
  };
}
