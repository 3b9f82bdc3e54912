import type { Flavor } from '../../flavors/catalog.js';
import { CAMERA_MOVES } from '../../media/camera-moves.js';
import type { BeatLibrary } from '../library.js';
import type { BeatDurationS } from '../schema.js';
import type { AdPlanningRequest, MusicVideoPlanningRequest, PlanningRequest } from './planning-request.js';

/**
 * The texts sent to the LLM planner. The system prompt carries the rules (the exact duration,
 * lengths of 5/10/15 s), the flavor's hints and, for ads, the whole beat library and archetypes;
 * the user message carries the person's request.
 */

/** The system prompt of an ad plan: rules, flavor hints, beat library and archetypes. */
export function adSystemPrompt(request: AdPlanningRequest, library: BeatLibrary): string {
  const beats = [...library.beats.values()].map(
    (beat) =>
      `- ${beat.id} | ${beat.title} | shot ${beat.shotType} | camera ${beat.cameraMovement} | ` +
      `${beat.typicalPosition} | energy ${beat.energy} | action ${beat.action}`,
  );
  const archetypes = [...library.archetypes.values()].map(
    (archetype) =>
      `- ${archetype.id} | ${archetype.title} | suggested beats: ${archetype.suggestedBeats.join(', ')} | ` +
      `${archetype.durationRangeS[0]}–${archetype.durationRangeS[1]} s | energy ${archetype.energyCurve} | ` +
      `${archetype.narrativeStructure}`,
  );
  return [
    'You plan short video ads for an AI video generator. Answer with one JSON object matching the schema, nothing else.',
    '',
    'Rules:',
    ...timingRules(request.durationS, 'beat', preferredLength(request.flavor, 'ad')),
    '- Pick the archetype (by id) that fits the request best and use its suggested beats as a guide.',
    '- Use only beat ids from the beat library. Begin with an opening beat and end with a closing beat.',
    '- A beat prompt says what the clip shows (subject, product, setting) in one or two concrete sentences; camera moves belong in cameraMovement.',
    `- cameraMovement is one of ${CAMERA_MOVES.join(', ')}; usually keep the library beat's.`,
    `- Creativity is ${request.creativity} (0 = follow the archetype's suggested beats closely, 1 = vary beats and lengths freely).`,
    ...(request.hasImage
      ? ['- The person gave a reference image of the product: show the product in the first beat.']
      : []),
    '- Use the colours the request names; otherwise choose a palette that fits.',
    '',
    ...flavorHints(request.flavor),
    '',
    'Beat library (id | title | shot type | camera movement | typical position | energy | action):',
    ...beats,
    '',
    'Archetypes (id | title | suggested beats | typical length | energy curve | story):',
    ...archetypes,
  ].join('\n');
}

/** The system prompt of a music-video plan: rules, the character and flavor hints. */
export function musicVideoSystemPrompt(request: MusicVideoPlanningRequest): string {
  const moments = request.flavor.prompts.musicVideo.moments.map(
    (moment) => `- ${moment.action} (${moment.shot}, ${moment.cameraMovement})`,
  );
  return [
    'You plan music videos for an AI video generator. Answer with one JSON object matching the schema, nothing else.',
    '',
    'Rules:',
    ...timingRules(request.durationS, 'scene', preferredLength(request.flavor, 'music_video')),
    `- The same character appears in every scene. Every scene description contains this character description word for word: "${request.characterDescription}".`,
    '- A scene description says what the scene shows in one or two concrete sentences; camera moves belong in cameraMovement.',
    '- The scenes tell the idea of the song from an opening image to a closing one.',
    `- cameraMovement is one of ${CAMERA_MOVES.join(', ')}.`,
    '',
    ...flavorHints(request.flavor),
    '',
    'Moments this flavor likes (inspiration, not a list to copy):',
    ...moments,
  ].join('\n');
}

/** The person's request as the first user message. */
export function requestMessage(request: PlanningRequest): string {
  const noun = request.mode === 'ad' ? 'an ad' : 'a music video';
  return `Plan ${noun} of exactly ${request.durationS} seconds for this request:\n${request.prompt}`;
}

/** The follow-up message asking for a corrected plan, listing what was wrong. */
export function repairMessage(issues: readonly string[], request: PlanningRequest): string {
  const noun = request.mode === 'ad' ? 'Beat' : 'Scene';
  return [
    'That plan is not valid:',
    ...issues.map((issue) => `- ${issue}`),
    '',
    `Send the whole corrected plan as JSON matching the schema. ${noun} lengths are 5, 10 or 15 seconds ` +
      `and add up to exactly ${request.durationS} seconds.`,
  ].join('\n');
}

function timingRules(durationS: number, noun: string, preferred: BeatDurationS): string[] {
  return [
    `- The video lasts exactly ${durationS} seconds: this cannot change.`,
    `- Every ${noun} lasts 5, 10 or 15 seconds (durationS), and the ${noun} lengths add up to exactly ${durationS} seconds.`,
    `- One valid split: ${exampleSplit(durationS, preferred).join(' + ')} = ${durationS}.`,
  ];
}

function flavorHints(flavor: Flavor): string[] {
  const { style, music } = flavor.parameters;
  return [
    `Flavor "${flavor.name}": ${flavor.description}`,
    ...(style.look ? [`- Look: ${style.look}`] : []),
    ...(style.lighting ? [`- Lighting: ${style.lighting}`] : []),
    ...(style.palette ? [`- Palette to start from: ${style.palette.join(', ')}`] : []),
    ...(music.tempoShiftBpm !== 0 ? [`- Music: shift a typical tempo by ${music.tempoShiftBpm} BPM`] : []),
  ];
}

function preferredLength(flavor: Flavor, mode: PlanningRequest['mode']): BeatDurationS {
  return mode === 'ad' ? flavor.parameters.preferredBeatDurationS : flavor.parameters.sceneDurationS;
}

/** Lengths of `preferred` seconds, the last taking any remainder (always 5, 10 or 15). */
function exampleSplit(durationS: number, preferred: BeatDurationS): number[] {
  const lengths = new Array<number>(Math.floor(durationS / preferred)).fill(preferred);
  const rest = durationS % preferred;
  if (rest > 0) lengths.push(rest);
  return lengths;
}
