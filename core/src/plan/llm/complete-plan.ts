import type { Flavor } from '../../flavors/catalog.js';
import { fillTemplate, tidyText } from '../../flavors/template.js';
import type { BeatLibrary } from '../library.js';
import { directionPrompt } from '../prompts.js';
import type { AdPlan, MusicVideoPlan, MusicVideoScene, PlanBeat, PlanStyle } from '../schema.js';
import { styleText } from '../style.js';
import type { LlmAdPlan, LlmMusicVideoPlan } from './llm-schema.js';
import type { AdPlanningRequest, MusicVideoPlanningRequest } from './planning-request.js';

/**
 * An LLM's ad draft made into a full `AdPlan`: beats placed back to back from 0 s, titles (and a
 * missing action or shot type) from the library beat, each clip prompt wrapped like the rule
 * planner's (flavor prefix, the reference-image phrase on the first beat when the user gave an
 * image, the style, flavor suffix), direction prompts from the flavor's template, the flavor's
 * negative prompt, look and lighting. The user's prompt and duration are kept as given. Not
 * validated: unknown beat ids and lengths that miss the duration are left for `validatePlan`.
 */
export function completeAdPlan(draft: LlmAdPlan, request: AdPlanningRequest, library: BeatLibrary): AdPlan {
  const { flavor } = request;
  const style = withFlavorStyle(draft.style, flavor);
  const productName = textOrUndefined(draft.product) ?? 'the product';
  let startS = 0;
  const beats = draft.beats.map((drafted, index): PlanBeat => {
    const known = library.beats.get(drafted.id);
    const shotType = drafted.shotType ?? known?.shotType ?? 'medium';
    const action = textOrUndefined(drafted.action) ?? known?.action ?? 'show the product';
    const referenceProduct = request.hasImage && index === 0 ? productName : undefined;
    const beat: PlanBeat = {
      id: drafted.id,
      title: known?.title ?? drafted.id,
      startS,
      durationS: drafted.durationS,
      shotType,
      action,
      cameraMovement: drafted.cameraMovement,
      prompt: clipPrompt(drafted.prompt, style, flavor, referenceProduct),
      directionPrompt: directionPrompt({ cameraMovement: drafted.cameraMovement, action, shotType }, flavor),
    };
    startS += drafted.durationS;
    return beat;
  });
  return {
    mode: 'ad',
    prompt: request.prompt,
    durationS: request.durationS,
    archetype: draft.archetype,
    flavor: flavor.name,
    style,
    audio: { ...draft.audio },
    negativePrompt: flavor.prompts.beat.negative,
    beats,
  };
}

/**
 * An LLM's music-video draft made into a full `MusicVideoPlan`: scenes indexed and placed back to
 * back from 0 s; a description lacking the character description word for word gets it put in
 * front (so every scene shows the same person), then the style is added; the negative
 * description comes from the flavor's template, the direction prompt from its direction template.
 */
export function completeMusicVideoPlan(draft: LlmMusicVideoPlan, request: MusicVideoPlanningRequest): MusicVideoPlan {
  const { flavor, characterDescription: character } = request;
  const style = withFlavorStyle(draft.style, flavor);
  const negativeDescription = fillTemplate(flavor.prompts.musicVideo.negative, { character, idea: request.prompt });
  let startS = 0;
  const scenes = draft.scenes.map((drafted, index): MusicVideoScene => {
    const scene: MusicVideoScene = {
      index,
      startS,
      durationS: drafted.durationS,
      description: sceneDescription(drafted.description, character, style),
      negativeDescription,
      cameraMovement: drafted.cameraMovement,
      directionPrompt: directionPrompt(drafted, flavor),
    };
    startS += drafted.durationS;
    return scene;
  });
  return {
    mode: 'music_video',
    prompt: request.prompt,
    characterDescription: character,
    durationS: request.durationS,
    flavor: flavor.name,
    style,
    audio: { ...draft.audio },
    scenes,
  };
}

/** The drafted palette (lower-cased); the flavor's look and lighting when it sets them, else the drafted ones. */
function withFlavorStyle(drafted: PlanStyle, flavor: Flavor): PlanStyle {
  const { look, lighting } = flavor.parameters.style;
  return {
    palette: drafted.palette.map((hex) => hex.toLowerCase()),
    look: look ?? drafted.look,
    lighting: lighting ?? drafted.lighting,
  };
}

function clipPrompt(body: string, style: PlanStyle, flavor: Flavor, referenceProduct: string | undefined): string {
  const { prefix, suffix, referenceImage } = flavor.prompts.beat;
  const reference = referenceProduct === undefined ? '' : fillTemplate(referenceImage, { product: referenceProduct });
  const parts = [withoutFinalStop(body), reference, styleText(style), suffix].filter((part) => part !== '');
  return capitalise(tidyText(`${prefix} ${parts.join(', ')}`));
}

function sceneDescription(body: string, character: string, style: PlanStyle): string {
  const text = withoutFinalStop(tidyText(body));
  const withCharacter = text.includes(character) ? text : `${character}, ${text}`;
  return tidyText(`${withCharacter}, ${styleText(style)}`);
}

function withoutFinalStop(text: string): string {
  return text.trim().replace(/[.\s]+$/, '');
}

function textOrUndefined(text: string | null): string | undefined {
  const trimmed = text?.trim();
  return trimmed ? trimmed : undefined;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
