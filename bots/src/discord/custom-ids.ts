/** What a button or modal asks for. */
export type ButtonAction = 'regen' | 'edit' | 'lipsync' | 'restitch' | 'cancel' | 'approve' | 'render' | 'prompt';

export interface ParsedCustomId {
  action: ButtonAction;
  videoId: string;
  /** 1-based scene number, for scene actions. */
  scene?: number;
}

const ACTIONS: ReadonlySet<string> = new Set([
  'regen',
  'edit',
  'lipsync',
  'restitch',
  'cancel',
  'approve',
  'render',
  'prompt',
]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * `rs:<action>:<videoId>[:<scene>]` (at most 100 characters, as Discord allows). Everything a
 * button needs lives in Postgres, so a card keeps working across bot restarts for months.
 */
export function customId(action: ButtonAction, videoId: string, scene?: number): string {
  return ['rs', action, videoId, ...(scene === undefined ? [] : [String(scene)])].join(':');
}

/** The parts of a Reelsmith custom id; undefined for anything else (or a forged one). */
export function parseCustomId(id: string): ParsedCustomId | undefined {
  const [prefix, action, videoId, scene, ...rest] = id.split(':');
  if (prefix !== 'rs' || !action || !ACTIONS.has(action) || !videoId || !UUID.test(videoId) || rest.length > 0)
    return undefined;
  if (scene !== undefined && !/^[1-9]\d{0,2}$/.test(scene)) return undefined;
  return { action: action as ButtonAction, videoId, ...(scene !== undefined ? { scene: Number(scene) } : {}) };
}
