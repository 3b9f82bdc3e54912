import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { isRetryable, ProviderError } from '../../errors.js';
import { backoffDelayMs, sleep } from './backoff.js';
import type { Engine } from './engine.js';
import { PROVIDER, retryAfterMs } from './errors.js';

/**
 * Downloads a prediction output `url` to `file` (via `file.partial` and a rename, so a failed
 * download leaves nothing). Network errors, 429 and 5xx are retried with backoff; a 404 or 410 means
 * Replicate deleted it (outputs live one hour) and throws a non-retryable ProviderError.
 */
export async function downloadOutput(engine: Engine, url: string, file: string, signal: AbortSignal): Promise<void> {
  const { settings } = engine;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await downloadOnce(engine, url, file, signal);
      return;
    } catch (error) {
      await rm(`${file}.partial`, { force: true });
      if (signal.aborted || !isRetryable(error) || attempt + 1 >= settings.requestAttempts) throw error;
      const hint = error instanceof ProviderError ? error.retryAfterMs : undefined;
      await sleep(backoffDelayMs(attempt, settings.backoff, hint, settings.random), signal);
    }
  }
}

async function downloadOnce(engine: Engine, url: string, file: string, signal: AbortSignal): Promise<void> {
  const requestSignal = AbortSignal.any([signal, AbortSignal.timeout(engine.settings.requestTimeoutMs * 4)]);
  let response: Response;
  try {
    response = await engine.settings.fetch(url, { signal: requestSignal });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new ProviderError(PROVIDER, `Could not download the output ${url}: ${String(error)}`, { cause: error });
  }
  if (!response.ok || !response.body) {
    const body = await response.text().catch(() => '');
    const gone = response.status === 404 || response.status === 410;
    const wait = retryAfterMs(response.headers, body);
    throw new ProviderError(
      PROVIDER,
      gone
        ? `The output ${url} is gone (HTTP ${response.status}): Replicate deletes outputs after an hour.`
        : `Could not download the output ${url}: HTTP ${response.status}`,
      {
        status: response.status,
        retryable: !gone && response.status !== 403,
        ...(wait === undefined ? {} : { retryAfterMs: wait }),
      },
    );
  }
  try {
    const body = Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>);
    await pipeline(body, createWriteStream(`${file}.partial`), { signal: requestSignal });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new ProviderError(PROVIDER, `The download of ${url} broke off: ${String(error)}`, { cause: error });
  }
  await rename(`${file}.partial`, file);
}
