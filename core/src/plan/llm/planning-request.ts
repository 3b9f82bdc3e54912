import { type Flavor, getFlavor } from '../../flavors/catalog.js';
import {
  checkCharacterDescription,
  checkCreativity,
  checkDuration,
  checkMode,
  checkPrompt,
  type PlanRequest,
} from '../plan-request.js';
import type { PlannerDeps } from '../planner-deps.js';

/** An ad request after every check, with the flavor resolved. */
export interface AdPlanningRequest {
  mode: 'ad';
  prompt: string;
  durationS: number;
  /** The request's creativity, else the flavor's. */
  creativity: number;
  hasImage: boolean;
  flavor: Flavor;
}

/** A music-video request after every check; `characterDescription` is the flavor's default when none was given. */
export interface MusicVideoPlanningRequest {
  mode: 'music_video';
  prompt: string;
  durationS: number;
  characterDescription: string;
  flavor: Flavor;
}

export type PlanningRequest = AdPlanningRequest | MusicVideoPlanningRequest;

/**
 * Checks `request` exactly as the rule planner does (same functions, same order, same UserErrors),
 * so a request the rule planner refuses never reaches an LLM.
 * @throws UserError `empty_prompt`, `prompt_too_long`, `invalid_duration`, `invalid_mode`,
 *   `invalid_creativity`, `invalid_flavor`, `invalid_character_description`, `character_description_too_long`.
 */
export function readPlanningRequest(request: PlanRequest, deps: PlannerDeps): PlanningRequest {
  const prompt = checkPrompt(request.prompt);
  const durationS = checkDuration(request.durationS);
  const mode = checkMode(request.mode);
  const creativity = checkCreativity(request.creativity);
  const flavor = getFlavor(request.flavor, { log: deps.log, root: deps.flavorsRoot });
  if (mode === 'music_video') {
    const characterDescription =
      checkCharacterDescription(request.characterDescription) ?? flavor.prompts.musicVideo.defaultCharacter;
    return { mode, prompt, durationS, characterDescription, flavor };
  }
  return {
    mode,
    prompt,
    durationS,
    creativity: creativity ?? flavor.parameters.creativity,
    hasImage: request.hasImage === true,
    flavor,
  };
}
