import { z } from 'zod';
import { templateSchema } from '../flavors/template.js';
import { dataFileError, describePath, type FileLocation, locationPath, readYamlFile } from '../flavors/yaml-file.js';
import { CAMERA_MOVES } from '../media/camera-moves.js';

/** Slots a beat's prompt template may use; `{product}` and `{style}` are required. */
export const BEAT_TEMPLATE_SLOTS = ['subject', 'product', 'style', 'character', 'setting'] as const;
export const SHOT_TYPES = [
  'extreme_wide',
  'wide',
  'medium',
  'medium_close_up',
  'close_up',
  'extreme_close_up',
  'macro',
  'overhead',
  'pov',
] as const;
export const BEAT_POSITIONS = ['opening', 'middle', 'closing'] as const;
export const ENERGY_LEVELS = ['low', 'medium', 'high'] as const;
export const ENERGY_CURVES = ['steady', 'build', 'peak', 'gentle'] as const;

const ID = z.string().regex(/^[a-z0-9_]+$/, 'ids use lowercase letters, digits and underscores');
const SECONDS = z.int().min(5).max(120).multipleOf(5);

export const BeatSchema = z.strictObject({
  id: ID,
  title: z.string().min(1),
  shotType: z.enum(SHOT_TYPES),
  action: ID,
  cameraMovement: z.enum(CAMERA_MOVES),
  promptTemplate: templateSchema(BEAT_TEMPLATE_SLOTS, ['product', 'style']),
  typicalPosition: z.enum(BEAT_POSITIONS),
  energy: z.enum(ENERGY_LEVELS),
});

export const AudioSeedSchema = z.strictObject({
  style: z.string().min(1),
  tempoBpm: z.int().min(60).max(180),
  mood: z.string().min(1),
});

export const ArchetypeSchema = z.strictObject({
  id: ID,
  title: z.string().min(1),
  keywords: z.array(z.string().regex(/^[a-z0-9-]+$/, 'keywords are single lowercase words')).min(1),
  suggestedBeats: z.array(ID).min(2),
  durationRangeS: z.tuple([SECONDS, SECONDS]).refine(([min, max]) => min <= max, 'min must not exceed max'),
  energyCurve: z.enum(ENERGY_CURVES),
  narrativeStructure: z.string().min(1),
  /** Who appears when the prompt names nobody. */
  defaultSubject: z.string().min(1),
  /** Where it happens when the prompt names no place. */
  defaultSetting: z.string().min(1),
  /** The music this archetype starts from before keywords and the flavor adjust it. */
  audio: AudioSeedSchema,
});

const BeatsFileSchema = z.strictObject({ beats: z.array(BeatSchema).min(1) });
const ArchetypesFileSchema = z.strictObject({ default: ID, archetypes: z.array(ArchetypeSchema).min(1) });

export type Beat = z.output<typeof BeatSchema>;
export type Archetype = z.output<typeof ArchetypeSchema>;
export type AudioSeed = z.output<typeof AudioSeedSchema>;
export type BeatPosition = (typeof BEAT_POSITIONS)[number];
export type EnergyLevel = (typeof ENERGY_LEVELS)[number];

/** The beat library and archetypes, validated and cross-checked. Maps keep file order. */
export interface BeatLibrary {
  beats: ReadonlyMap<string, Beat>;
  archetypes: ReadonlyMap<string, Archetype>;
  /** The archetype used when no keyword of the prompt selects one. */
  defaultArchetypeId: string;
}

/** Where the two library files are; each defaults to the file shipped next to this module. */
export interface BeatLibraryPaths {
  beats?: FileLocation;
  archetypes?: FileLocation;
}

const DEFAULT_BEATS = new URL('./beats.yaml', import.meta.url);
const DEFAULT_ARCHETYPES = new URL('./archetypes.yaml', import.meta.url);
let shipped: BeatLibrary | undefined;

/**
 * Loads `beats.yaml` and `archetypes.yaml`, validating every field (camera movements, template
 * slots, durations) and every cross-reference (unique ids, suggested beats exist, each archetype
 * opens and closes, the default archetype exists). The shipped files are read once (memoised);
 * explicit `paths` are read on every call.
 * @throws PermanentError naming the file, the entry and the field of every problem.
 */
export function loadBeatLibrary(paths: BeatLibraryPaths = {}): BeatLibrary {
  if (paths.beats === undefined && paths.archetypes === undefined && shipped) return shipped;
  const beatsFile = locationPath(paths.beats ?? DEFAULT_BEATS);
  const archetypesFile = locationPath(paths.archetypes ?? DEFAULT_ARCHETYPES);
  const beatsData = readYamlFile(beatsFile, BeatsFileSchema);
  const beats = indexById(beatsFile, 'beats', beatsData.beats);
  checkPositions(beatsFile, beats);
  const archetypesData = readYamlFile(archetypesFile, ArchetypesFileSchema);
  const archetypes = indexById(archetypesFile, 'archetypes', archetypesData.archetypes);
  checkArchetypes(archetypesFile, archetypesData, beats);
  const library: BeatLibrary = { beats, archetypes, defaultArchetypeId: archetypesData.default };
  if (paths.beats === undefined && paths.archetypes === undefined) shipped = library;
  return library;
}

function indexById<T extends { id: string }>(file: string, list: string, entries: readonly T[]): Map<string, T> {
  const byId = new Map<string, T>();
  const problems: string[] = [];
  entries.forEach((entry, index) => {
    if (byId.has(entry.id)) problems.push(`${list}[${index}] "${entry.id}" → id: duplicate id`);
    byId.set(entry.id, Object.freeze(entry));
  });
  if (problems.length > 0) throw dataFileError(file, problems);
  return byId;
}

function checkPositions(file: string, beats: ReadonlyMap<string, Beat>): void {
  const present = new Set([...beats.values()].map((beat) => beat.typicalPosition));
  const missing = BEAT_POSITIONS.filter((position) => !present.has(position));
  if (missing.length > 0) {
    throw dataFileError(file, [`beats: the library needs at least one ${missing.join(', ')} beat`]);
  }
}

function checkArchetypes(
  file: string,
  data: z.output<typeof ArchetypesFileSchema>,
  beats: ReadonlyMap<string, Beat>,
): void {
  const problems: string[] = [];
  data.archetypes.forEach((archetype, index) => {
    const where = describePath(['archetypes', index], data);
    archetype.suggestedBeats.forEach((id, beatIndex) => {
      if (!beats.has(id)) {
        problems.push(
          `${where} → suggestedBeats[${beatIndex}]: unknown beat "${id}"; known beats: ${[...beats.keys()].join(', ')}`,
        );
      }
    });
    const positions = archetype.suggestedBeats.map((id) => beats.get(id)?.typicalPosition);
    for (const needed of ['opening', 'closing'] as const) {
      if (!positions.includes(needed)) problems.push(`${where} → suggestedBeats: needs at least one ${needed} beat`);
    }
  });
  if (!data.archetypes.some((archetype) => archetype.id === data.default)) {
    problems.push(`default: unknown archetype "${data.default}"`);
  }
  if (problems.length > 0) throw dataFileError(file, problems);
}
