import { type AssetSource, UserError } from '@reelsmith/core';
import type { MediaInput } from './fields.js';

const ACCEPTED: Record<'image' | 'audio', Record<string, string>> = {
  image: { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/jpg': 'jpg', 'image/webp': 'webp' },
  audio: {
    'audio/mpeg': 'mp3',
    'audio/mp3': 'mp3',
    'audio/wav': 'wav',
    'audio/x-wav': 'wav',
    'audio/wave': 'wav',
    'audio/mp4': 'm4a',
    'audio/x-m4a': 'm4a',
    'audio/m4a': 'm4a',
    'audio/aac': 'm4a',
    'audio/ogg': 'ogg',
    'audio/flac': 'flac',
    'audio/x-flac': 'flac',
  },
};

const DATA_URL = /^data:([^;,]+)(?:;[^,]*)?;base64,/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * An image or audio input as a `service.addAsset` source, so it is validated exactly like an upload:
 * a URL is passed on as is (the core downloads https links to public hosts only), base64 is decoded
 * strictly (a `data:` URL prefix is accepted). Pure: nothing is stored or fetched here.
 * @throws UserError `missing_media`, `ambiguous_media`, `unsupported_media_type`, `invalid_base64`.
 */
export function toAssetSource(input: MediaInput, kind: 'image' | 'audio', field: string = kind): AssetSource {
  const url = input.url?.trim();
  const data = input.data?.trim();
  if (url && data) {
    throw new UserError('ambiguous_media', `Give ${field}.url or ${field}.data, not both.`);
  }
  if (url) return { url };
  if (!data) {
    throw new UserError(
      'missing_media',
      `${field} needs either url (an https:// link) or data (base64) with mime_type.`,
    );
  }
  const prefix = DATA_URL.exec(data);
  const mimeType = (input.mime_type ?? prefix?.[1] ?? '').trim().toLowerCase();
  const extension = ACCEPTED[kind][mimeType];
  if (!extension) {
    const valid = Object.keys(ACCEPTED[kind]).join(', ');
    throw new UserError(
      'unsupported_media_type',
      mimeType
        ? `${field}.mime_type ${mimeType} is not supported; use one of ${valid}.`
        : `${field}.mime_type is required with data; use one of ${valid}.`,
    );
  }
  const bytes = decodeBase64(prefix ? data.slice(prefix[0].length) : data, field);
  return { bytes, filename: filenameFor(input.filename, kind, extension) };
}

function decodeBase64(text: string, field: string): Uint8Array {
  const compact = text.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) {
    throw new UserError(
      'invalid_base64',
      `${field}.data is not valid base64: send the file's bytes base64-encoded (A–Z, a–z, 0–9, + and /, padded with =), or give an https url instead.`,
    );
  }
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

function filenameFor(given: string | undefined, kind: 'image' | 'audio', extension: string): string {
  const base = given?.trim().split(/[\\/]/).pop();
  return base ? base : `${kind}.${extension}`;
}
