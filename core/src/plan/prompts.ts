import type { Flavor } from '../flavors/catalog.js';
import { fillTemplate, tidyText } from '../flavors/template.js';
import type { CameraMove } from '../media/image-to-clip.js';
import type { Beat } from './library.js';
import type { SceneSpec } from './plan-scenes.js';
import type { Plan, PlanStyle } from './schema.js';
import { DEFAULT_STYLE, styleText } from './style.js';

/** Values for a beat's prompt template slots. */
export interface BeatSlotValues {
  subject: string;
  product: string;
  style: string;
  character: string;
  setting: string;
}

/**
 * A beat's clip prompt: the flavor's prefix, the beat's template filled with `values`, the
 * reference-image phrase when the user gave an image, and the flavor's suffix.
 */
export function beatPrompt(beat: Beat, values: BeatSlotValues, flavor: Flavor, referenceImage = false): string {
  const { prefix, suffix, referenceImage: reference } = flavor.prompts.beat;
  const body = fillTemplate(beat.promptTemplate, { ...values });
  const parts = [body, referenceImage ? fillTemplate(reference, { product: values.product }) : '', suffix];
  return capitalise(tidyText(`${prefix} ${parts.filter((part) => part !== '').join(', ')}`));
}

/** How the shot moves, from the flavor's direction template and camera phrases. */
export function directionPrompt(
  shot: { cameraMovement: CameraMove; action: string; shotType: string },
  flavor: Flavor,
): string {
  const { direction } = flavor.prompts.beat;
  const camera = flavor.prompts.camera[shot.cameraMovement];
  return capitalise(fillTemplate(direction, { camera, action: spoken(shot.action), shot: spoken(shot.shotType) }));
}

/** The text-to-image prompt of a scene's storyboard frame. */
export function storyboardPrompt(scene: SceneSpec, plan: Plan, flavor: Flavor): string {
  return fillTemplate(flavor.prompts.storyboard, { prompt: scene.prompt, style: styleText(plan.style) });
}

/** The music-generation prompt of a plan, from its audio spec and length. */
export function musicPrompt(plan: Plan, flavor: Flavor): string {
  const { style, tempoBpm, mood } = plan.audio;
  return fillTemplate(flavor.prompts.music, { style, tempoBpm, mood, durationS: plan.durationS });
}

/** The text-to-image prompt for character reference candidates. */
export function characterReferencePrompt(
  description: string,
  flavor: Flavor,
  style: PlanStyle = DEFAULT_STYLE,
): string {
  return fillTemplate(flavor.prompts.characterReference, { character: description, style: styleText(style) });
}

/** A library id in words: `extreme_close_up` → `extreme close-up`. */
export function spoken(id: string): string {
  if (id === 'pov') return 'point-of-view';
  return id.replace(/close_up/g, 'close-up').replace(/_/g, ' ');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
