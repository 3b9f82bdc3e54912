/** The chord qualities a music bed can be built on, as semitones above the root. */
export const CHORDS = Object.freeze({
  major: [0, 4, 7],
  minor: [0, 3, 7],
  major7: [0, 4, 7, 11],
  minor7: [0, 3, 7, 10],
  sus2: [0, 2, 7],
} as const satisfies Record<string, readonly number[]>);

/** One of `CHORDS`. */
export type ChordQuality = keyof typeof CHORDS;

/** Mood words → chord quality, checked in order; anything else is major. */
const MOOD_CHORDS: ReadonlyArray<readonly [RegExp, ChordQuality]> = [
  [
    /dark|melanchol|sad|myster|sombre|somber|gloom|ominous|tense|suspens|eerie|haunt|horror|noir|grim|sinister/,
    'minor',
  ],
  [/nostalg|bittersweet|wistful|moody|jazz|lo-?fi|longing|reflective|introspect/, 'minor7'],
  [/calm|dream|chill|relax|romantic|serene|peace|gentle|soft|warm|tender|ambient|soothing/, 'major7'],
  [/epic|heroic|cinematic|majestic|powerful|anthem|grand|bold|determined/, 'sus2'],
];

/** Chord roots per bar, semitones above the key (I–IV–V–IV); every chord takes the mood's quality. */
const PROGRESSION = [0, 5, 7, 5] as const;
const BEATS_PER_BAR = 4;
/** A3 and A1: the pad's and the bass's key notes, Hz. */
const PAD_ROOT_HZ = 220;
const BASS_ROOT_HZ = 55;
/** Peak levels of the parts; their sum stays below 1, so the bed never clips. */
const LEVEL = { kick: 0.45, pad: 0.3, bass: 0.14, shaker: 0.05 } as const;

/** The chord quality a mood calls for: minor for dark/melancholic/mysterious, major for happy/uplifting/energetic, … */
export function chordForMood(mood: string): ChordQuality {
  const words = mood.toLowerCase();
  for (const [pattern, quality] of MOOD_CHORDS) if (pattern.test(words)) return quality;
  return 'major';
}

/**
 * An `aevalsrc` expression (one channel, variable `t` in seconds) of a music bed at `tempoBpm`: a kick
 * and a bass note on every beat (the kick a 150→50 Hz sweep decaying within the beat), a shaker
 * between beats, and a pad of `quality` chords, one per bar along I–IV–V–IV, each faded in and out within its bar so
 * chord changes do not click. Peak level stays below 0.95.
 */
export function musicBedExpression(tempoBpm: number, quality: ChordQuality): string {
  const beat = 60 / tempoBpm;
  const bar = beat * BEATS_PER_BAR;
  const fade = Math.min(0.25, beat / 2);
  const sinceBeat = 'ld(0)';
  const root = 'ld(1)';
  const padEnvelope = 'ld(2)';
  const rootOfBar = PROGRESSION.slice(0, -1).reduceRight<string>(
    (inner, semitones, i) => `if(eq(ld(3),${i}),${semitones},${inner})`,
    String(PROGRESSION.at(-1)),
  );
  const intervals = CHORDS[quality];
  const padTone = (interval: number): string => `sin(2*PI*${PAD_ROOT_HZ}*pow(2,(${root}+${interval})/12)*t)`;
  const kick = `${LEVEL.kick}*exp(-9*${sinceBeat})*sin(2*PI*(50*${sinceBeat}+100*(1-exp(-25*${sinceBeat}))/25))`;
  const pad = `${(LEVEL.pad / intervals.length).toFixed(4)}*${padEnvelope}*(${intervals.map(padTone).join('+')})`;
  const bass = `${LEVEL.bass}*exp(-3*${sinceBeat})*sin(2*PI*${BASS_ROOT_HZ}*pow(2,${root}/12)*t)`;
  const shaker = `${LEVEL.shaker}*(2*random(4)-1)*exp(-40*mod(t+${beat / 2},${beat}))`;
  return [
    `st(0,mod(t,${beat}))`,
    `st(3,mod(floor(t/${bar}),${PROGRESSION.length}))`,
    `st(1,${rootOfBar})`,
    `st(2,min(1,mod(t,${bar})/${fade})*min(1,(${bar}-mod(t,${bar}))/${fade}))`,
    `${kick}+${pad}+${bass}+${shaker}`,
  ].join(';');
}
