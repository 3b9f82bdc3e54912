import { UserError } from '../errors.js';

/** S3's limit on a key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;
/** Linux allows 255 bytes per path segment; the local backend stores the filename as one. */
const MAX_FILENAME_BYTES = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this rejects
const CONTROL_CHAR = /[\u0000-\u001f\u007f]/;

function invalid(message: string, details: Record<string, unknown>): UserError {
  return new UserError('invalid_storage_key', message, { details });
}

function describeControlChar(value: string): string | undefined {
  const match = CONTROL_CHAR.exec(value);
  if (!match) return undefined;
  const code = match[0].charCodeAt(0);
  return code === 0 ? 'NUL' : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Throws UserError `invalid_storage_key` unless `key` is a relative `/`-separated path that cannot escape
 * its root: non-empty, at most 1024 UTF-8 bytes, no leading `/`, no empty, `.` or `..` segment,
 * no backslash, NUL or other control character.
 */
export function assertValidKey(key: string): void {
  assertKeyShape(key, 'key');
}

/**
 * Throws UserError `invalid_storage_key` unless `prefix` is a valid key, optionally followed by one `/`
 * (`{userId}/videos/{videoId}/` is a prefix). The empty prefix is refused.
 */
export function assertValidPrefix(prefix: string): void {
  assertKeyShape(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix, 'prefix', prefix);
}

function assertKeyShape(key: string, label: string, shown: string = key): void {
  const quoted = JSON.stringify(shown);
  const details = { [label]: shown };
  if (typeof key !== 'string' || key.length === 0) throw invalid(`Storage ${label} must not be empty`, details);
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_KEY_BYTES) {
    throw invalid(`Storage ${label} is ${bytes} bytes long; the limit is ${MAX_KEY_BYTES}`, details);
  }
  const control = describeControlChar(key);
  if (control) throw invalid(`Storage ${label} ${quoted} contains the control character ${control}`, details);
  if (key.includes('\\')) throw invalid(`Storage ${label} ${quoted} contains a backslash`, details);
  if (key.startsWith('/')) throw invalid(`Storage ${label} ${quoted} is absolute (starts with "/")`, details);
  for (const segment of key.split('/')) {
    if (segment === '')
      throw invalid(`Storage ${label} ${quoted} has an empty segment ("//" or a trailing "/")`, details);
    if (segment === '.' || segment === '..') {
      throw invalid(`Storage ${label} ${quoted} has a "${segment}" segment`, details);
    }
  }
}

function id(name: string, value: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) {
    throw invalid(`${name} must be a UUID, got ${JSON.stringify(value)}`, { [name]: value });
  }
  return value.toLowerCase();
}

function integer(name: string, value: number, min: 0 | 1): string {
  if (!Number.isSafeInteger(value) || value < min) {
    const expected = min === 0 ? 'a non-negative integer' : 'an integer of at least 1';
    throw invalid(`${name} must be ${expected}, got ${String(value)}`, { [name]: value });
  }
  return String(value);
}

function counter(name: string, value: number, min: 0 | 1): string {
  return integer(name, value, min).padStart(2, '0');
}

function filenameSegment(value: string): string {
  const quoted = JSON.stringify(value);
  const fail = (why: string) => invalid(`filename ${quoted} ${why}`, { filename: value });
  if (typeof value !== 'string' || value.length === 0) throw fail('must not be empty');
  if (Buffer.byteLength(value, 'utf8') > MAX_FILENAME_BYTES) throw fail(`is longer than ${MAX_FILENAME_BYTES} bytes`);
  if (value.includes('/') || value.includes('\\')) throw fail('must not contain "/" or "\\"');
  if (value.includes('..')) throw fail('must not contain ".."');
  if (value.startsWith('.')) throw fail('must not start with "."');
  const control = describeControlChar(value);
  if (control) throw fail(`must not contain the control character ${control}`);
  return value;
}

/** `{userId}/videos/{videoId}/`: every object of one video lives under it. */
export function videoPrefix(userId: string, videoId: string): string {
  return `${id('userId', userId)}/videos/${id('videoId', videoId)}/`;
}

/** `…/storyboard_00.png`; `index` ≥ 0. */
export function storyboardKey(userId: string, videoId: string, index: number): string {
  return `${videoPrefix(userId, videoId)}storyboard_${counter('index', index, 0)}.png`;
}

function sceneVersionBase(userId: string, videoId: string, scene: number, version: number): string {
  return `${videoPrefix(userId, videoId)}scene_${counter('scene', scene, 0)}_v${integer('version', version, 1)}`;
}

function chunkBase(userId: string, videoId: string, scene: number, version: number, chunk: number): string {
  return `${sceneVersionBase(userId, videoId, scene, version)}_chunk_${counter('chunk', chunk, 0)}`;
}

/** `…/scene_02_v1_chunk_00.mp4`: one generated clip. `scene`, `chunk` ≥ 0 (two-digit padded); `version` ≥ 1 (unpadded). */
export function chunkKey(userId: string, videoId: string, scene: number, version: number, chunk: number): string {
  return `${chunkBase(userId, videoId, scene, version, chunk)}.mp4`;
}

/** `…/scene_02_v1_chunk_00_last_frame.png`: the frame the next chunk continues from. */
export function chunkLastFrameKey(
  userId: string,
  videoId: string,
  scene: number,
  version: number,
  chunk: number,
): string {
  return `${chunkBase(userId, videoId, scene, version, chunk)}_last_frame.png`;
}

/** `…/scene_02_v2.mp4`: a scene's assembled version. `scene` ≥ 0 (two-digit padded); `version` ≥ 1 (unpadded). */
export function sceneVersionKey(userId: string, videoId: string, scene: number, version: number): string {
  return `${sceneVersionBase(userId, videoId, scene, version)}.mp4`;
}

/** `…/take_03.mp4`: a stitched take. Takes are numbered like versions, from 1. */
export function takeKey(userId: string, videoId: string, take: number): string {
  return `${videoPrefix(userId, videoId)}take_${counter('take', take, 1)}.mp4`;
}

/** `…/background.mp3`. */
export function musicKey(userId: string, videoId: string): string {
  return `${videoPrefix(userId, videoId)}background.mp3`;
}

/** `…/final.mp4`: the latest take with music. */
export function finalKey(userId: string, videoId: string): string {
  return `${videoPrefix(userId, videoId)}final.mp4`;
}

/** `…/contact_sheet.png`. */
export function contactSheetKey(userId: string, videoId: string): string {
  return `${videoPrefix(userId, videoId)}contact_sheet.png`;
}

/**
 * `…/outputs/{predictionId}_{index}.{ext}`: output `index` (≥ 0, unpadded) of a paid prediction, copied from the
 * provider before the step that paid for it finishes. `predictionId` is Reelsmith's prediction row id (a UUID);
 * `ext` is 1–10 letters or digits, without the dot.
 */
export function predictionOutputKey(
  userId: string,
  videoId: string,
  predictionId: string,
  index: number,
  ext: string,
): string {
  if (typeof ext !== 'string' || !/^[a-z0-9]{1,10}$/i.test(ext)) {
    throw invalid(`ext must be 1-10 letters or digits, got ${JSON.stringify(ext)}`, { ext });
  }
  const name = `${id('predictionId', predictionId)}_${integer('index', index, 0)}.${ext.toLowerCase()}`;
  return `${videoPrefix(userId, videoId)}outputs/${name}`;
}

/**
 * `{userId}/assets/{assetId}/{filename}`: an uploaded reference or audio file. `filename` is one segment:
 * 1–200 UTF-8 bytes, no `/`, `\`, `..` or control character, not starting with `.`.
 */
export function assetKey(userId: string, assetId: string, filename: string): string {
  return `${id('userId', userId)}/assets/${id('assetId', assetId)}/${filenameSegment(filename)}`;
}

/**
 * `{userId}/assets/{assetId}/_thumb.jpg`: the asset's 400×400 JPEG thumbnail, beside its file. The
 * leading `_` keeps it apart from the asset's own file: upload names never start with one (they are
 * cleaned of leading `_`, `.` and `-`) and character references are `character_{n}.{ext}`.
 */
export function assetThumbnailKey(userId: string, assetId: string): string {
  return `${id('userId', userId)}/assets/${id('assetId', assetId)}/_thumb.jpg`;
}
