import { ProviderError } from '../errors.js';
import { BlobNotFoundError } from './blob-store.js';

type SdkFailure = { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number; requestId?: string } };

/** True when an SDK failure means the object (not the bucket) is absent. */
export function isMissingObject(error: unknown): boolean {
  const { name } = (error ?? {}) as SdkFailure;
  return name === 'NoSuchKey' || name === 'NotFound';
}

/**
 * Maps an SDK failure of `operation` on `key` to BlobNotFoundError (when `notFoundIsMissing` and the object
 * is absent) or ProviderError('s3') with the HTTP status and request id; `cause` is kept either way.
 */
export function toStorageError(operation: string, key: string, error: unknown, notFoundIsMissing = false): Error {
  if (notFoundIsMissing && isMissingObject(error)) return new BlobNotFoundError(key, { cause: error });
  const failure = (error ?? {}) as SdkFailure;
  const name = typeof failure.name === 'string' ? failure.name : 'Error';
  const message = typeof failure.message === 'string' && failure.message !== '' ? `: ${failure.message}` : '';
  const status = failure.$metadata?.httpStatusCode;
  const requestId = failure.$metadata?.requestId;
  return new ProviderError('s3', `S3 ${operation} of ${JSON.stringify(key)} failed with ${name}${message}`, {
    cause: error,
    ...(status !== undefined ? { status } : {}),
    ...(requestId !== undefined ? { requestId } : {}),
  });
}
