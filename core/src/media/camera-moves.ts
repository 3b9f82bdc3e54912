/**
 * Camera movements an animatic clip can make over its still image. On its own (no ffmpeg) so that
 * plans, flavors and the LLM schema can name them without loading the media toolkit.
 */
export const CAMERA_MOVES = [
  'static',
  'dolly_in',
  'dolly_out',
  'pan_left',
  'pan_right',
  'tilt_up',
  'tilt_down',
] as const;

/** One of `CAMERA_MOVES`. */
export type CameraMove = (typeof CAMERA_MOVES)[number];
