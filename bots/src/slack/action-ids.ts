/** One Block Kit `action_id` per action; the video (and scene) a button acts on travels in its `value`. */
export const ACTION = {
  regenerate: 'rs_regenerate',
  editPrompt: 'rs_edit_prompt',
  lipsync: 'rs_lipsync',
  restitch: 'rs_restitch',
  cancel: 'rs_cancel',
  approve: 'rs_approve',
  render: 'rs_render',
} as const;

/** Modal callback ids. */
export const VIEW = { createVideo: 'rs_create_video', editPrompt: 'rs_edit_prompt_submit' } as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface ActionTarget {
  videoId: string;
  /** 1-based scene number, for scene actions. */
  scene?: number;
}

/** A button's `value`: `<videoId>` or `<videoId>:<scene>` (all state lives in Postgres). */
export function actionValue(videoId: string, scene?: number): string {
  return scene === undefined ? videoId : `${videoId}:${scene}`;
}

/** The target in a button's value; undefined for anything that is not ours (or forged). */
export function parseActionValue(value: unknown): ActionTarget | undefined {
  if (typeof value !== 'string') return undefined;
  const [videoId, scene, ...rest] = value.split(':');
  if (!videoId || !UUID.test(videoId) || rest.length > 0) return undefined;
  if (scene === undefined) return { videoId };
  return /^[1-9]\d{0,2}$/.test(scene) ? { videoId, scene: Number(scene) } : undefined;
}
