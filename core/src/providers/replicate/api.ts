import Replicate, { type FileObject, type Page, type Prediction } from 'replicate';
import { isRetryable, ProviderError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { abortReason } from '../../media/run-ffmpeg.js';
import { type BackoffPolicy, backoffDelayMs, sleep } from './backoff.js';
import { errorFromFailure, PROVIDER } from './errors.js';
import { createGuardedFetch, type GuardedFetch } from './guarded-fetch.js';

export type { Prediction } from 'replicate';

/** One prediction to create. */
export interface CreateRequest {
  /** `owner/name` (official model) or `owner/name:version`. */
  replicateId: string;
  input: Record<string, unknown>;
  webhook?: string;
  webhookEventsFilter?: Array<'start' | 'output' | 'logs' | 'completed'>;
  /** `Prefer: wait=N` (1–60 s): answer as soon as the prediction is done, within N seconds. */
  waitS?: number;
}

export interface ReplicateApiOptions {
  apiToken: string;
  baseUrl: string;
  fetch: typeof fetch;
  requestTimeoutMs: number;
  /** Attempts (first included) of calls that are safe to repeat: get, list, cancel, upload. */
  attempts: number;
  backoff: BackoffPolicy;
  random: () => number;
  log: Logger;
}

/**
 * The Replicate calls this adapter makes, on the `replicate` client with a guarded fetch (it never
 * retries by itself). `create` is tried exactly once: a paid call is only repeated by its caller,
 * after looking for the prediction the lost answer may have made. Calls safe to repeat (get, list,
 * cancel, upload) are retried here with backoff, honouring `Retry-After`. Every failure is mapped
 * to UserError / ProviderError (see `errorFromFailure`); an aborted signal rejects with its reason.
 */
export function createReplicateApi(options: ReplicateApiOptions) {
  const guarded = createGuardedFetch(options.fetch, { requestTimeoutMs: options.requestTimeoutMs });
  const client = new Replicate({
    auth: options.apiToken,
    baseUrl: options.baseUrl,
    fetch: guarded.fetch,
    userAgent: 'reelsmith',
    useFileOutput: false,
  });
  const once = <T>(what: string, signal: AbortSignal, call: () => Promise<T>) => callOnce(guarded, what, signal, call);
  const repeat = <T>(what: string, signal: AbortSignal, call: () => Promise<T>) =>
    callRepeatedly(options, () => once(what, signal, call), what, signal);

  return {
    /** Creates one prediction, once. A ProviderError without a status or with a 5xx may hide a created prediction. */
    create(request: CreateRequest, signal: AbortSignal): Promise<Prediction> {
      const [model, version] = request.replicateId.split(':');
      const common = {
        input: request.input,
        ...(request.webhook ? { webhook: request.webhook } : {}),
        ...(request.webhookEventsFilter ? { webhook_events_filter: request.webhookEventsFilter } : {}),
        ...(request.waitS ? { wait: request.waitS } : {}),
        signal,
      };
      return once(`create a prediction of ${request.replicateId}`, signal, () =>
        version
          ? client.predictions.create({ ...common, version })
          : client.predictions.create({ ...common, model: model ?? request.replicateId }),
      );
    },
    get: (id: string, signal: AbortSignal) =>
      repeat(`read prediction ${id}`, signal, () => client.predictions.get(id, { signal })),
    cancel: (id: string, signal: AbortSignal) =>
      repeat(`cancel prediction ${id}`, signal, () => client.predictions.cancel(id, { signal })),
    /** One page of predictions, newest first; `next` is the URL of the following page. */
    listPage: (next: string | undefined, signal: AbortSignal): Promise<Page<Prediction>> =>
      repeat('list predictions', signal, async () => {
        if (!next) return client.predictions.list({ signal });
        return (await client.request(next, { method: 'GET', signal })).json() as Promise<Page<Prediction>>;
      }),
    upload: (file: File, signal: AbortSignal): Promise<FileObject> =>
      repeat(`upload ${file.name}`, signal, () => client.files.create(file, {}, { signal })),
  };
}

export type ReplicateApi = ReturnType<typeof createReplicateApi>;

async function callOnce<T>(
  guarded: GuardedFetch,
  what: string,
  signal: AbortSignal,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (signal.aborted) throw abortReason(signal);
    const response = error && typeof error === 'object' && 'response' in error ? error.response : undefined;
    const failure = guarded.failureOf(response);
    if (failure) throw errorFromFailure(failure, what, error);
    const lost =
      error instanceof Error && error.name === 'ApiError' ? error.message : `the answer was lost (${String(error)})`;
    throw new ProviderError(PROVIDER, `Replicate could not ${what}: ${lost}`, { cause: error });
  }
}

async function callRepeatedly<T>(
  options: ReplicateApiOptions,
  attempt: () => Promise<T>,
  what: string,
  signal: AbortSignal,
): Promise<T> {
  for (let tried = 1; ; tried += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (signal.aborted || !isRetryable(error) || tried >= options.attempts) throw error;
      const hint = error instanceof ProviderError ? error.retryAfterMs : undefined;
      const delayMs = backoffDelayMs(tried - 1, options.backoff, hint, options.random);
      options.log.warn({ err: error, attempt: tried, delayMs }, `Replicate: retrying ${what}`);
      await sleep(delayMs, signal);
    }
  }
}
