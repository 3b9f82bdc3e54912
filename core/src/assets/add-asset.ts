import { createHash, randomUUID } from 'node:crypto';
import { extname } from 'node:path';
import { imageSize } from 'image-size';
import type { Kysely } from 'kysely';
import { deleteAssetRow, insertAsset } from '../db/assets.js';
import type { Database } from '../db/schema.js';
import type { EmbeddingProvider } from '../embeddings/types.js';
import { PermanentError } from '../errors.js';
import type { Logger } from '../log.js';
import type { BlobStore } from '../storage/blob-store.js';
import { assetKey } from '../storage/keys.js';
import { type AssetView, toAssetView } from './asset-view.js';
import { type FetchRemoteFileOptions, fetchRemoteFile } from './fetch-remote.js';
import { scratchFile, storeEmbedding, storeThumbnail } from './library-files.js';
import { displayUrl } from './remote-url.js';
import { orientedSize, stripImageMetadata } from './strip-metadata.js';
import { MAX_AUDIO_BYTES, validateAudio } from './validate-audio.js';
import { MAX_IMAGE_BYTES, sniffImageType, validateImage } from './validate-image.js';

const EXTENSIONS: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/webp': '.webp',
  'audio/mpeg': '.mp3',
  'audio/wav': '.wav',
  'audio/mp4': '.m4a',
  'audio/ogg': '.ogg',
  'audio/flac': '.flac',
};

export type { AssetView } from './asset-view.js';
export { toAssetView } from './asset-view.js';

/** Where assets go; `embeddings` embeds each image (none: the asset is stored unembedded). */
type AssetDeps = { db: Kysely<Database>; storage: BlobStore; embeddings?: EmbeddingProvider; log?: Logger };

/**
 * Where an asset comes from: bytes a person uploaded, or an https link to download (with an
 * `Authorization` header for the link's own host when the file is behind a login, as Slack's are).
 */
export type AssetSource = { bytes: Uint8Array; filename: string } | { url: string; authorization?: string };

/** Cancellation for `storeAsset`. */
export interface StoreAssetOptions {
  /** Aborting stops the download, ffprobe or ffmpeg; nothing is stored. */
  signal?: AbortSignal | undefined;
}

/** Cancellation and download seams for `storeAssetFromSource`. */
export interface StoreAssetFromSourceOptions extends StoreAssetOptions {
  /** Passed to `fetchRemoteFile` for a `{ url }` source (timeout; tests set lookup, isAllowedAddress, ca). */
  fetch?: Omit<FetchRemoteFileOptions, 'maxBytes' | 'signal'> | undefined;
}

/**
 * Validates an upload by its content (never its name), stores it under
 * `{userId}/assets/{assetId}/{filename}` and records it. An image is checked (type from its magic bytes,
 * at most 10 MiB, at most 4096×4096 px from its header) before anything decodes it, then re-encoded
 * without metadata (`stripImageMetadata`); the stored bytes, size, hash and dimensions are those of the
 * stripped image (a JPEG with EXIF orientation 5–8 is stored upright, width and height swapped). Nothing
 * is stored when validation fails. An image also gets its 400×400 thumbnail beside it
 * (`{userId}/assets/{assetId}/_thumb.jpg`) and, with `deps.embeddings`, an embedding row (a failed
 * embedding is logged and left for later; the upload still succeeds). The name defaults to the file
 * name without its extension.
 * @throws UserError from `validateImage` / `validateAudio` / `stripImageMetadata`, naming `src.filename`.
 */
export function storeAsset(
  deps: AssetDeps,
  userId: string,
  src: { bytes: Uint8Array; filename: string },
  kind: 'image' | 'audio',
  options: StoreAssetOptions = {},
): Promise<AssetView> {
  return storeValidated(deps, userId, { ...src, label: src.filename }, kind, options.signal);
}

/**
 * `storeAsset` for an upload or a link. A `{ url }` is downloaded with `fetchRemoteFile` (https only,
 * public addresses only, at most 10 MiB for an image and 50 MiB for audio), then validated and stored
 * exactly like an upload; its file name comes from the URL.
 * @throws UserError from `fetchRemoteFile` (`url_not_https`, `url_private_address`, `file_too_large`, …)
 *   or from validation, naming the URL; nothing is stored.
 */
export async function storeAssetFromSource(
  deps: AssetDeps,
  userId: string,
  src: AssetSource,
  kind: 'image' | 'audio',
  options: StoreAssetFromSourceOptions = {},
): Promise<AssetView> {
  if ('bytes' in src) return storeAsset(deps, userId, src, kind, options);
  const remote = await fetchRemoteFile(src.url, {
    ...options.fetch,
    maxBytes: kind === 'image' ? MAX_IMAGE_BYTES : MAX_AUDIO_BYTES,
    signal: options.signal,
    authorization: src.authorization,
  });
  const label = `The file at ${displayUrl(remote.finalUrl)}`;
  return storeValidated(deps, userId, { bytes: remote.bytes, filename: remote.filename, label }, kind, options.signal);
}

async function storeValidated(
  deps: AssetDeps,
  userId: string,
  src: { bytes: Uint8Array; filename: string; label: string },
  kind: 'image' | 'audio',
  signal: AbortSignal | undefined,
): Promise<AssetView> {
  const facts = kind === 'image' ? await cleanImage(src.bytes, src.label, signal) : await checkAudio(src, signal);
  const id = randomUUID();
  const filename = safeFilename(src.filename, EXTENSIONS[facts.mimeType] ?? '');
  const key = assetKey(userId, id, filename);
  const scratch = kind === 'image' ? await scratchFile(facts.bytes, filename) : undefined;
  const written: string[] = [];
  let inserted = false;
  try {
    await deps.storage.put(key, { buffer: facts.bytes }, { contentType: facts.mimeType });
    written.push(key);
    const thumbnailKey = scratch ? await storeThumbnail(deps.storage, userId, id, scratch.path, signal) : null;
    if (thumbnailKey) written.push(thumbnailKey);
    const row = await insertAsset(deps.db, {
      id,
      user_id: userId,
      kind,
      filename,
      mime_type: facts.mimeType,
      size_bytes: facts.bytes.byteLength,
      width: facts.width,
      height: facts.height,
      duration_s: facts.durationS,
      sha256: createHash('sha256').update(facts.bytes).digest('hex'),
      storage_key: key,
      thumbnail_key: thumbnailKey,
    });
    inserted = true;
    const embeddings = deps.embeddings;
    const embedded =
      scratch && embeddings ? await storeEmbedding({ ...deps, embeddings }, row, scratch.path, signal) : false;
    return toAssetView(row, embedded);
  } catch (error) {
    if (inserted) await deleteAssetRow(deps.db, userId, id).catch(() => {});
    for (const writtenKey of written) await deps.storage.delete(writtenKey).catch(() => {});
    throw error;
  } finally {
    await scratch?.done();
  }
}

interface StorableFacts {
  bytes: Uint8Array;
  mimeType: string;
  width: number | null;
  height: number | null;
  durationS: number | null;
}

async function cleanImage(bytes: Uint8Array, label: string, signal: AbortSignal | undefined): Promise<StorableFacts> {
  const facts = validateImage(bytes, label);
  const stripped = await stripImageMetadata(bytes, facts.type, { signal });
  const expected = orientedSize(facts);
  const type = sniffImageType(stripped);
  const after = imageSize(stripped);
  if (type !== facts.type || after.width !== expected.width || after.height !== expected.height) {
    throw new PermanentError(
      `Stripping metadata changed ${label} from ${facts.type} ${expected.width}×${expected.height} to ` +
        `${type} ${after.width}×${after.height}`,
    );
  }
  return { bytes: stripped, mimeType: facts.mimeType, ...expected, durationS: null };
}

async function checkAudio(
  src: { bytes: Uint8Array; label: string },
  signal: AbortSignal | undefined,
): Promise<StorableFacts> {
  const facts = await validateAudio(src.bytes, src.label, signal);
  return { bytes: src.bytes, mimeType: facts.mimeType, width: null, height: null, durationS: facts.durationS };
}

/** One safe path segment with the extension that matches the content. */
function safeFilename(original: string, extension: string): string {
  const base = (original.split(/[\\/]/).pop() ?? '').replace(extname(original), '');
  const cleaned = base
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^[_.-]+|[_.-]+$/g, '')
    .slice(0, 80);
  return `${cleaned || 'upload'}${extension}`;
}
