import { getFlavor } from '../flavors/catalog.js';
import type { FlavorPrompts } from '../flavors/schema.js';
import { fillTemplate } from '../flavors/template.js';
import { deriveAudio } from './audio.js';
import type { AudioSeed } from './library.js';
import { loadBeatLibrary } from './library.js';
import { checkCharacterDescription, checkDuration, checkPrompt } from './plan-request.js';
import type { PlannerDeps } from './planner-deps.js';
import { readPrompt } from './prompt-reading.js';
import { directionPrompt, spoken } from './prompts.js';
import { createRng, hashText } from './random.js';
import type { BeatDurationS, MusicVideoPlan, MusicVideoScene } from './schema.js';
import { deriveStyle, styleText } from './style.js';
import { assertValidPlan } from './validate-plan.js';

/** A music video request: the idea and who appears in it. */
export interface CreateScenesRequest {
  idea: string;
  /** Appears word for word in every scene description; default: the flavor's default character. */
  characterDescription?: string | undefined;
  /** A multiple of 5 from 5 to 120. */
  durationS: number;
  flavor?: string | undefined;
}

/** Where a music video's audio spec starts before keywords and the flavor adjust it. */
export const MUSIC_VIDEO_AUDIO: Readonly<AudioSeed> = Object.freeze({
  style: 'modern pop',
  tempoBpm: 110,
  mood: 'uplifting',
});

type Moment = FlavorPrompts['musicVideo']['moments'][number];

/**
 * A music-video plan: scenes of the flavor's `sceneDurationS` (the last takes any remainder, so
 * lengths stay 5, 10 or 15 s and sum exactly to `durationS`), each described by the flavor's
 * templates with the character description in every description. Deterministic.
 * @throws UserError `empty_prompt`, `prompt_too_long` (the idea), `invalid_duration`,
 *   `invalid_character_description`, `character_description_too_long`, `invalid_flavor`.
 */
export function createScenes(request: CreateScenesRequest, deps: PlannerDeps = {}): MusicVideoPlan {
  const idea = checkPrompt(request.idea, 'idea');
  const durationS = checkDuration(request.durationS);
  const flavor = getFlavor(request.flavor, { log: deps.log, root: deps.flavorsRoot });
  const { musicVideo } = flavor.prompts;
  const character = checkCharacterDescription(request.characterDescription) ?? musicVideo.defaultCharacter;
  const reading = readPrompt(idea);
  const style = deriveStyle(reading, flavor.parameters.style);
  const audio = deriveAudio({
    words: reading.words,
    seed: MUSIC_VIDEO_AUDIO,
    tempoShiftBpm: flavor.parameters.music.tempoShiftBpm,
    creativity: 0,
    rng: createRng(idea),
  });
  const lengths = sceneLengths(durationS, flavor.parameters.sceneDurationS);
  const moments = momentSequence(musicVideo.moments, lengths.length, hashText(idea));
  let startS = 0;
  const scenes = lengths.map((length, index): MusicVideoScene => {
    const moment = moments[index] as Moment;
    const values = { character, idea, action: moment.action, shot: spoken(moment.shot), style: styleText(style) };
    const scene: MusicVideoScene = {
      index,
      startS,
      durationS: length,
      description: fillTemplate(musicVideo.description, { ...values, index: index + 1, count: lengths.length }),
      negativeDescription: fillTemplate(musicVideo.negative, { character, idea }),
      cameraMovement: moment.cameraMovement,
      directionPrompt: directionPrompt({ ...moment, shotType: moment.shot }, flavor),
    };
    startS += length;
    return scene;
  });
  const plan: MusicVideoPlan = {
    mode: 'music_video',
    prompt: idea,
    characterDescription: character,
    durationS,
    flavor: flavor.name,
    style,
    audio,
    scenes,
  };
  return assertValidPlan(plan, deps.library ?? loadBeatLibrary()) as MusicVideoPlan;
}

function sceneLengths(durationS: number, sceneS: BeatDurationS): BeatDurationS[] {
  const lengths = new Array<BeatDurationS>(Math.floor(durationS / sceneS)).fill(sceneS);
  const rest = durationS % sceneS;
  if (rest > 0) lengths.push(rest as BeatDurationS);
  return lengths;
}

/** The first moment opens, the last closes, the ones between cycle from an offset set by the idea. */
function momentSequence(moments: readonly Moment[], count: number, seed: number): Moment[] {
  const first = moments[0] as Moment;
  const last = moments[moments.length - 1] as Moment;
  const between = moments.slice(1, -1);
  if (count === 1) return [first];
  const middle = Array.from({ length: count - 2 }, (_, i) => between[(seed + i) % between.length] as Moment);
  return [first, ...middle, last];
}
