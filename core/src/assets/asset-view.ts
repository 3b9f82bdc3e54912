import type { AssetRow } from '../db/schema.js';

/** A stored asset as the fronts see it (upload, generated character reference), scoped to its owner. */
export interface AssetView {
  assetId: string;
  kind: 'image' | 'audio' | 'character_reference';
  filename: string;
  mimeType: string;
  sizeBytes: number;
  width: number | null;
  height: number | null;
  durationS: number | null;
  /** 1–100 characters; defaults to the file name without its extension. Renaming never moves the file. */
  name: string;
  /** Lowercase, 1–50 characters each, at most 30. */
  tags: string[];
  /** Searchable description (a character reference's description); null when none. */
  caption: string | null;
  /** Storage key of the 400×400 JPEG thumbnail beside the asset; null for audio (or an old row not yet thumbnailed). */
  thumbnailKey: string | null;
  /** ISO 8601. */
  createdAt: string;
  /** True when it has an embedding of the active embedding provider's model (searchable by similarity). */
  embedded: boolean;
}

/** The one place an asset row becomes an `AssetView`; `embedded` is for the active embedding model. */
export function toAssetView(row: AssetRow, embedded: boolean): AssetView {
  return {
    assetId: row.id,
    kind: row.kind,
    filename: row.filename,
    mimeType: row.mime_type,
    sizeBytes: row.size_bytes,
    width: row.width,
    height: row.height,
    durationS: row.duration_s,
    name: row.name,
    tags: [...(row.tags ?? [])],
    caption: row.caption,
    thumbnailKey: row.thumbnail_key,
    createdAt: new Date(row.created_at).toISOString(),
    embedded,
  };
}
