import { type Flavor, getFlavor } from '../flavors/catalog.js';
import { deriveAudio } from './audio.js';
import { type ComposedBeat, composeBeats } from './beat-composer.js';
import { type Archetype, loadBeatLibrary } from './library.js';
import { createScenes } from './music-video.js';
import { pickArchetype } from './pick-archetype.js';
import { checkCreativity, checkDuration, checkMode, checkPrompt, type PlanRequest } from './plan-request.js';
import type { PlannerDeps } from './planner-deps.js';
import { type PromptReading, readPrompt } from './prompt-reading.js';
import { type BeatSlotValues, beatPrompt, directionPrompt } from './prompts.js';
import { createRng } from './random.js';
import type { AdPlan, Plan, PlanBeat } from './schema.js';
import { deriveStyle, styleText } from './style.js';
import { assertValidPlan } from './validate-plan.js';

const FALLBACK_PRODUCT = 'the product';

/**
 * The deterministic planner (no LLM): the same request always gives a deep-equal plan. `ad` picks
 * an archetype from the prompt's keywords and composes library beats of 5/10/15 s summing exactly
 * to the duration; `music_video` delegates to `createScenes` with the prompt as the idea. The
 * result has passed `validatePlan`.
 * @throws UserError `empty_prompt`, `prompt_too_long`, `invalid_duration`, `invalid_creativity`,
 *   `invalid_mode`, `invalid_flavor`, `invalid_character_description`, `character_description_too_long`.
 */
export function planVideo(request: PlanRequest, deps: PlannerDeps = {}): Plan {
  const prompt = checkPrompt(request.prompt);
  const durationS = checkDuration(request.durationS);
  const mode = checkMode(request.mode);
  const creativity = checkCreativity(request.creativity);
  if (mode === 'music_video') {
    const { characterDescription, flavor } = request;
    return createScenes({ idea: prompt, characterDescription, durationS, flavor }, deps);
  }
  const flavor = getFlavor(request.flavor, { log: deps.log, root: deps.flavorsRoot });
  const library = deps.library ?? loadBeatLibrary();
  const hasImage = request.hasImage === true;
  const effectiveCreativity = creativity ?? flavor.parameters.creativity;
  const rng = createRng(JSON.stringify(['ad', prompt, durationS, effectiveCreativity, hasImage, flavor.name]));
  const reading = readPrompt(prompt);
  const archetype = pickArchetype(reading.words, library, durationS);
  const style = deriveStyle(reading, flavor.parameters.style);
  const audio = deriveAudio({
    words: reading.words,
    seed: archetype.audio,
    tempoShiftBpm: flavor.parameters.music.tempoShiftBpm,
    creativity: effectiveCreativity,
    rng,
  });
  const composed = composeBeats({
    durationS,
    archetype,
    library,
    creativity: effectiveCreativity,
    rng,
    preferredBeatDurationS: flavor.parameters.preferredBeatDurationS,
  });
  const beats = placeBeats(composed, slotValues(reading, archetype, styleText(style)), flavor, hasImage);
  const plan: AdPlan = {
    mode: 'ad',
    prompt,
    durationS,
    archetype: archetype.id,
    flavor: flavor.name,
    style,
    audio,
    negativePrompt: flavor.prompts.beat.negative,
    beats,
  };
  return assertValidPlan(plan, library);
}

/** The composed beats on the timeline, with their prompts filled. */
function placeBeats(composed: ComposedBeat[], slots: BeatSlotValues, flavor: Flavor, hasImage: boolean): PlanBeat[] {
  let startS = 0;
  return composed.map(({ beat, durationS }, index): PlanBeat => {
    const planned: PlanBeat = {
      id: beat.id,
      title: beat.title,
      startS,
      durationS,
      shotType: beat.shotType,
      action: beat.action,
      cameraMovement: beat.cameraMovement,
      prompt: beatPrompt(beat, slots, flavor, hasImage && index === 0),
      directionPrompt: directionPrompt(beat, flavor),
    };
    startS += durationS;
    return planned;
  });
}

function slotValues(reading: PromptReading, archetype: Archetype, style: string): BeatSlotValues {
  const subject = reading.subject ?? archetype.defaultSubject;
  return {
    subject,
    character: subject,
    product: productPhrase(reading.product),
    setting: reading.setting ?? archetype.defaultSetting,
    style,
  };
}

/** `Nike running shoes` stays as written (a name); `luxury watch` becomes `the luxury watch`. */
function productPhrase(product: string | undefined): string {
  if (product === undefined) return FALLBACK_PRODUCT;
  return /^\p{Lu}/u.test(product) ? product : `the ${product}`;
}
