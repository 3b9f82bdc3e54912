/**
 * What a stored object is, read from its key alone: the inverse of the builders in `../keys.ts`
 * (DESIGN.md §6 "storage keys"). Keys the layout does not know come back as `unknown`.
 */

type VideoScoped = { userId: string; videoId: string };
type VersionScoped = VideoScoped & { scene: number; version: number };

export type KeyLayout =
  | (VersionScoped & { kind: 'chunk'; chunk: number })
  | (VersionScoped & { kind: 'chunk_last_frame'; chunk: number })
  | (VersionScoped & { kind: 'scene_version' })
  | (VideoScoped & { kind: 'prediction_output'; predictionId: string })
  | (VideoScoped & { kind: 'storyboard'; index: number })
  | (VideoScoped & { kind: 'take'; take: number })
  | (VideoScoped & { kind: 'final' | 'music' | 'contact_sheet' })
  | { kind: 'asset'; userId: string; assetId: string }
  | { kind: 'unknown' };

export type KeyKind = KeyLayout['kind'];

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const VIDEO_OBJECT = new RegExp(`^(${UUID})/videos/(${UUID})/(.+)$`);
const ASSET_OBJECT = new RegExp(`^(${UUID})/assets/(${UUID})/[^/]+$`);
const CHUNK = /^scene_(\d{2,})_v(\d+)_chunk_(\d{2,})(_last_frame\.png|\.mp4)$/;
const SCENE_VERSION = /^scene_(\d{2,})_v(\d+)\.mp4$/;
const PREDICTION_OUTPUT = new RegExp(`^outputs/(${UUID})_\\d+\\.[a-z0-9]{1,10}$`);
const STORYBOARD = /^storyboard_(\d{2,})\.png$/;
const TAKE = /^take_(\d{2,})\.mp4$/;
const FIXED_NAMES = { 'final.mp4': 'final', 'background.mp3': 'music', 'contact_sheet.png': 'contact_sheet' } as const;

/** The layout entry `key` belongs to (keys are compared as `keys.ts` writes them: lowercase UUIDs). */
export function classifyKey(key: string): KeyLayout {
  const asset = ASSET_OBJECT.exec(key);
  if (asset) return { kind: 'asset', userId: asset[1] as string, assetId: asset[2] as string };
  const video = VIDEO_OBJECT.exec(key);
  if (!video) return { kind: 'unknown' };
  const scoped = { userId: video[1] as string, videoId: video[2] as string };
  const name = video[3] as string;
  const chunk = CHUNK.exec(name);
  if (chunk) {
    const kind = chunk[4] === '.mp4' ? 'chunk' : 'chunk_last_frame';
    return { ...scoped, kind, scene: Number(chunk[1]), version: Number(chunk[2]), chunk: Number(chunk[3]) };
  }
  const version = SCENE_VERSION.exec(name);
  if (version) return { ...scoped, kind: 'scene_version', scene: Number(version[1]), version: Number(version[2]) };
  const output = PREDICTION_OUTPUT.exec(name);
  if (output) return { ...scoped, kind: 'prediction_output', predictionId: output[1] as string };
  const storyboard = STORYBOARD.exec(name);
  if (storyboard) return { ...scoped, kind: 'storyboard', index: Number(storyboard[1]) };
  const take = TAKE.exec(name);
  if (take) return { ...scoped, kind: 'take', take: Number(take[1]) };
  const fixed = FIXED_NAMES[name as keyof typeof FIXED_NAMES];
  return fixed ? { ...scoped, kind: fixed } : { kind: 'unknown' };
}

/** Kinds that only serve to build something else: chunks, their last frames, and copies of provider outputs. */
export const INTERMEDIATE_KINDS: ReadonlySet<KeyKind> = new Set(['chunk', 'chunk_last_frame', 'prediction_output']);

/**
 * True for the objects that may expire: a scene version's chunks and last frames, and the copies of
 * provider outputs (`outputs/`, kept so a re-run step never pays twice). The S3 store tags exactly these.
 */
export function isIntermediateKey(key: string): boolean {
  return INTERMEDIATE_KINDS.has(classifyKey(key).kind);
}
