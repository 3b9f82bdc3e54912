import { createHash, randomUUID } from 'node:crypto';
import { extname } from 'node:path';
import type { Kysely } from 'kysely';
import { insertAsset } from '../db/assets.js';
import type { AssetRow, Database } from '../db/schema.js';
import type { BlobStore } from '../storage/blob-store.js';
import { assetKey } from '../storage/keys.js';
import { validateAudio } from './validate-audio.js';
import { validateImage } from './validate-image.js';

export interface AssetView {
  assetId: string;
  kind: 'image' | 'audio' | 'character_reference';
  filename: string;
  mimeType: string;
  sizeBytes: number;
  width: number | null;
  height: number | null;
  durationS: number | null;
}

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

/**
 * Validates an upload by its content (never its name), stores it under
 * `{userId}/assets/{assetId}/{filename}` and records it. Nothing is stored when validation fails.
 */
export async function storeAsset(
  deps: { db: Kysely<Database>; storage: BlobStore },
  userId: string,
  src: { bytes: Uint8Array; filename: string },
  kind: 'image' | 'audio',
): Promise<AssetView> {
  const facts =
    kind === 'image'
      ? { ...validateImage(src.bytes, src.filename), durationS: null }
      : { ...(await validateAudio(src.bytes, src.filename)), width: null, height: null };
  const id = randomUUID();
  const filename = safeFilename(src.filename, EXTENSIONS[facts.mimeType] ?? '');
  const key = assetKey(userId, id, filename);
  await deps.storage.put(key, { buffer: src.bytes }, { contentType: facts.mimeType });
  const row = await insertAsset(deps.db, {
    id,
    user_id: userId,
    kind,
    filename,
    mime_type: facts.mimeType,
    size_bytes: src.bytes.byteLength,
    width: facts.width,
    height: facts.height,
    duration_s: facts.durationS,
    sha256: createHash('sha256').update(src.bytes).digest('hex'),
    storage_key: key,
  }).catch(async (error: unknown) => {
    await deps.storage.delete(key).catch(() => {});
    throw error;
  });
  return toAssetView(row);
}

export function toAssetView(row: AssetRow): AssetView {
  return {
    assetId: row.id,
    kind: row.kind,
    filename: row.filename,
    mimeType: row.mime_type,
    sizeBytes: row.size_bytes,
    width: row.width,
    height: row.height,
    durationS: row.duration_s,
  };
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
