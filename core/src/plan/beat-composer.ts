import type { Archetype, Beat, BeatLibrary, EnergyLevel } from './library.js';
import type { Rng } from './random.js';
import type { BeatDurationS } from './schema.js';

/** A library beat placed in a plan with its length. */
export interface ComposedBeat {
  beat: Beat;
  durationS: BeatDurationS;
}

export interface ComposeBeatsOptions {
  /** A multiple of 5 from 5 to 120. */
  durationS: number;
  archetype: Archetype;
  library: BeatLibrary;
  /** 0–1: how far to stray from the archetype's sequence and even lengths. */
  creativity: number;
  rng: Rng;
  /** The beat length the flavor leans towards. */
  preferredBeatDurationS: BeatDurationS;
}

const UNIT_S = 5;
const MAX_UNITS = 3;
const ENERGY_ORDER: Readonly<Record<EnergyLevel, number>> = { low: 0, medium: 1, high: 2 };

/**
 * Beats of 5, 10 or 15 s summing exactly to `durationS`, following the archetype's suggested
 * sequence: with two or more beats the first is an opening beat and the last a closing one.
 * Creativity varies the beat count, swaps in other library beats and moves length between beats.
 */
export function composeBeats(options: ComposeBeatsOptions): ComposedBeat[] {
  const units = options.durationS / UNIT_S;
  const count = beatCount(units, options);
  const lengths = splitUnits(units, count, options);
  return chooseBeats(count, options).map((beat, index) => ({
    beat,
    durationS: ((lengths[index] as number) * UNIT_S) as BeatDurationS,
  }));
}

function beatCount(units: number, { archetype, creativity, rng, preferredBeatDurationS }: ComposeBeatsOptions): number {
  const least = Math.ceil(units / MAX_UNITS);
  const natural = Math.min(archetype.suggestedBeats.length, Math.ceil(units / (preferredBeatDurationS / UNIT_S)));
  const spread = Math.floor(creativity * 2.999);
  const jitter = spread > 0 ? rng.int(2 * spread + 1) - spread : 0;
  return clamp(natural + jitter, least, units);
}

/** `count` lengths of 1–3 units summing to `units` (count is between ceil(units/3) and units). */
function splitUnits(units: number, count: number, { creativity, rng }: ComposeBeatsOptions): number[] {
  const base = Math.floor(units / count);
  const lengths = new Array<number>(count).fill(base);
  const middleFirst = [...range(1, count - 1), 0, count - 1].filter((i, at, all) => all.indexOf(i) === at);
  const order = rng.chance(creativity) ? rng.shuffle(middleFirst) : middleFirst;
  for (let extra = units - base * count, k = 0; extra > 0; extra--, k++) {
    const at = order[k % order.length] as number;
    lengths[at] = (lengths[at] as number) + 1;
  }
  const moves = Math.round(creativity * count * rng.next());
  for (let m = 0; m < moves; m++) {
    const from = rng.int(count);
    const to = rng.int(count);
    if (from === to || (lengths[from] as number) <= 1 || (lengths[to] as number) >= MAX_UNITS) continue;
    lengths[from] = (lengths[from] as number) - 1;
    lengths[to] = (lengths[to] as number) + 1;
  }
  return lengths;
}

function chooseBeats(count: number, options: ComposeBeatsOptions): Beat[] {
  const { archetype, library, creativity, rng } = options;
  const suggested = archetype.suggestedBeats.map((id) => library.beats.get(id) as Beat);
  const all = [...library.beats.values()];
  const openings = suggested.filter((beat) => beat.typicalPosition === 'opening');
  const closings = suggested.filter((beat) => beat.typicalPosition === 'closing');
  const vary = (fallback: Beat, position: Beat['typicalPosition']): Beat =>
    rng.chance(creativity * 0.5) ? rng.pick(all.filter((beat) => beat.typicalPosition === position)) : fallback;
  const opening = vary(openings[0] as Beat, 'opening');
  if (count === 1) return [opening];
  const closing = vary(closings[closings.length - 1] as Beat, 'closing');
  const middle = chooseMiddle(count - 2, suggested, [opening, closing], options);
  return [opening, ...orderByCurve(middle, archetype.energyCurve), closing];
}

function chooseMiddle(slots: number, suggested: Beat[], ends: Beat[], options: ComposeBeatsOptions): Beat[] {
  if (slots <= 0) return [];
  const { library, creativity, rng } = options;
  const rest = suggested.filter((beat) => !ends.includes(beat));
  const isMiddle = (beat: Beat) => beat.typicalPosition === 'middle';
  const kept = [...rest.filter(isMiddle), ...rest.filter((beat) => !isMiddle(beat))].slice(0, slots);
  const chosen = rest.filter((beat) => kept.includes(beat));
  const middles = [...library.beats.values()].filter(isMiddle);
  const energy = dominantEnergy(suggested);
  const fresh = middles.filter((beat) => !chosen.includes(beat));
  const pool = [...fresh.filter((b) => b.energy === energy), ...fresh.filter((b) => b.energy !== energy)];
  const fillers = pool.length > 0 ? pool : middles;
  for (let i = 0; chosen.length < slots; i++) chosen.push(fillers[i % fillers.length] as Beat);
  for (let i = 0; i < chosen.length; i++) {
    const unused = middles.filter((beat) => !chosen.includes(beat));
    if (unused.length > 0 && rng.chance(creativity * 0.5)) chosen[i] = rng.pick(unused);
  }
  return chosen;
}

function orderByCurve(middle: Beat[], curve: Archetype['energyCurve']): Beat[] {
  const byEnergy = [...middle].sort((a, b) => ENERGY_ORDER[a.energy] - ENERGY_ORDER[b.energy]);
  if (curve === 'build') return byEnergy;
  if (curve !== 'peak' || middle.length < 3) return middle;
  const peak = byEnergy[byEnergy.length - 1] as Beat;
  const others = middle.filter((beat) => beat !== peak);
  const centre = Math.floor(middle.length / 2);
  return [...others.slice(0, centre), peak, ...others.slice(centre)];
}

function dominantEnergy(beats: readonly Beat[]): EnergyLevel {
  const counts = new Map<EnergyLevel, number>();
  for (const beat of beats) counts.set(beat.energy, (counts.get(beat.energy) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'medium';
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
