import type { Readable } from 'node:stream';
import { PermanentError } from '../errors.js';

/** What `put` stores: a local file (copied, never moved or deleted), a byte stream, or bytes in memory. */
export type BlobSource = { file: string } | { stream: Readable | NodeJS.ReadableStream } | { buffer: Uint8Array };

export type PutOptions = {
  /** MIME type recorded with the object (s3); inferred from the key's extension when omitted. The local backend ignores it. */
  contentType?: string;
};

export type PutResult = { key: string; sizeBytes: number };

/** One stored object as `listObjects` reports it: its key and stored length in bytes. */
export type StoredObject = { key: string; sizeBytes: number };

/**
 * Object storage for renders and uploads, keyed by the strings built in `keys.ts`.
 *
 * Invariants shared by every backend:
 * - every method validates its key (or prefix) with `assertValidKey` before touching anything,
 *   and throws UserError `invalid_storage_key` on a bad one;
 * - an object is either fully stored or absent: a failed `put` leaves nothing behind;
 * - a missing key on `get`/`getStream` throws `BlobNotFoundError`; `delete` of a missing key succeeds.
 */
export interface BlobStore {
  readonly backend: 'local' | 's3';
  /**
   * Stores `source` at `key`, replacing any object there. Resolves once the object is durable; `sizeBytes` is the
   * stored length. s3: an intermediate key (`isIntermediateKey`: chunks, last frames, provider-output copies) is
   * written with the object tag `reelsmith-lifecycle=intermediate`, which the bucket's lifecycle rule expires.
   */
  put(key: string, source: BlobSource, opts?: PutOptions): Promise<PutResult>;
  /** Writes the object to `dest.file` via a temp file in the same directory and a rename; the temp is removed on failure. */
  get(key: string, dest: { file: string }): Promise<void>;
  /** A stream of the object's bytes. The caller must consume or destroy it. */
  getStream(key: string): Promise<Readable>;
  exists(key: string): Promise<boolean>;
  /** Idempotent: deleting a missing key succeeds. */
  delete(key: string): Promise<void>;
  /**
   * Every key that starts with `prefix` (plain string-prefix match, as S3 does: `a/b` also matches `a/bc/d`),
   * across all pages, sorted by UTF-16 code unit. `prefix` must be a valid key, optionally ending in `/`.
   */
  list(prefix: string): Promise<string[]>;
  /** `list` with each object's stored size: what a usage report adds up. Same prefix rules and order. */
  listObjects(prefix: string): Promise<StoredObject[]>;
  /**
   * A URL a client can download the object from: presigned GET for s3 (valid `ttlS` seconds, default from the
   * store's options), `file://` for local. Does not check that the object exists.
   * Throws UserError `invalid_presign_ttl` unless `ttlS` is a whole number in 1..604800 (or the store's lower max).
   */
  url(key: string, ttlS?: number): Promise<string>;
  /** Releases connections. The store must not be used afterwards. */
  close(): Promise<void>;
}

/** No object is stored at `key`. Retrying cannot help. */
export class BlobNotFoundError extends PermanentError {
  readonly key: string;

  constructor(key: string, options: { cause?: unknown } = {}) {
    super(`No stored object at key ${JSON.stringify(key)}`, options);
    this.key = key;
  }
}
