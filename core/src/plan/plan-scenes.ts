import type { CameraMove } from '../media/image-to-clip.js';
import type { AdPlan, MusicVideoPlan, Plan } from './schema.js';

/**
 * One scene as the pipeline sees it, whatever the plan's mode: an ad beat or a music-video scene.
 * `prompt` is what the clip shows, `directionPrompt` how it moves; a clip's prompt is both.
 */
export interface SceneSpec {
  /** 0-based position in the video. */
  index: number;
  startS: number;
  durationS: number;
  title: string;
  prompt: string;
  negativePrompt?: string;
  directionPrompt: string;
  cameraMovement: CameraMove;
  /** The library beat, for ad plans. */
  beatId?: string;
}

/** The scenes of `plan` in order (a pure view: the plan is not changed). */
export function planScenes(plan: Plan): SceneSpec[] {
  return plan.mode === 'ad' ? adScenes(plan) : musicVideoScenes(plan);
}

function adScenes(plan: AdPlan): SceneSpec[] {
  return plan.beats.map((beat, index) => ({
    index,
    startS: beat.startS,
    durationS: beat.durationS,
    title: beat.title,
    prompt: beat.prompt,
    ...(plan.negativePrompt ? { negativePrompt: plan.negativePrompt } : {}),
    directionPrompt: beat.directionPrompt,
    cameraMovement: beat.cameraMovement,
    beatId: beat.id,
  }));
}

function musicVideoScenes(plan: MusicVideoPlan): SceneSpec[] {
  return plan.scenes.map((scene) => ({
    index: scene.index,
    startS: scene.startS,
    durationS: scene.durationS,
    title: `Scene ${scene.index + 1}`,
    prompt: scene.description,
    ...(scene.negativeDescription ? { negativePrompt: scene.negativeDescription } : {}),
    directionPrompt: scene.directionPrompt || plainDirection(scene.cameraMovement),
    cameraMovement: scene.cameraMovement,
  }));
}

const PLAIN_DIRECTION: Readonly<Record<CameraMove, string>> = {
  static: 'static camera',
  dolly_in: 'camera dollies in',
  dolly_out: 'camera dollies out',
  pan_left: 'camera pans left',
  pan_right: 'camera pans right',
  tilt_up: 'camera tilts up',
  tilt_down: 'camera tilts down',
};

function plainDirection(move: CameraMove): string {
  return PLAIN_DIRECTION[move];
}
