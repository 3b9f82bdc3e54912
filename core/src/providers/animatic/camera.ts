import { CAMERA_MOVES, type CameraMove } from '../../media/image-to-clip.js';

/** Words a plan or a person may use for a move, checked in order against the normalised request. */
const SYNONYMS: ReadonlyArray<readonly [RegExp, CameraMove]> = [
  [/\b(static|still|locked( off)?|fixed|none|hold)\b/, 'static'],
  [/\b(dolly|zoom|pull|move|track(ing)?) ?(out|back|backward)\b|\bpull\b|\breveal\b/, 'dolly_out'],
  [/\b(dolly|zoom|push|move|track(ing)?) ?(in|forward)\b|\b(push|zoom|dolly)\b/, 'dolly_in'],
  [/\b(pan|truck|track(ing)?|orbit|arc) ?left\b/, 'pan_left'],
  [/\b(pan|truck|track(ing)?|orbit|arc)( ?right)?\b/, 'pan_right'],
  [/\b(tilt|crane|boom|pedestal|jib) ?up\b|\b(crane|boom|jib|pedestal|rise|rising)\b/, 'tilt_up'],
  [/\b(tilt|crane|boom|pedestal|jib) ?down\b|\b(tilt|descend(ing)?)\b/, 'tilt_down'],
];

const MOVING: readonly CameraMove[] = CAMERA_MOVES.filter((move) => move !== 'static');

/**
 * The `CAMERA_MOVES` entry an animatic clip animates for `requested`: the move itself, or the move a
 * common phrasing names ("zoom in", "Push-in", "crane up", "orbit"); an absent or unrecognised request
 * gets a moving shot picked deterministically from `prompt` and `seed`, so a chain of chunks with the
 * same prompt keeps moving the same way.
 */
export function resolveCameraMove(requested: string | undefined, prompt: string, seed?: number): CameraMove {
  const normalised = (requested ?? '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const exact = CAMERA_MOVES.find((move) => move === normalised);
  if (exact) return exact;
  const words = normalised.replace(/_/g, ' ');
  for (const [pattern, move] of SYNONYMS) {
    if (pattern.test(words)) return move;
  }
  return MOVING[fnv1a(`${prompt}\u0000${seed ?? ''}`) % MOVING.length] ?? 'dolly_in';
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
