import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { PermanentError } from '../../src/errors.js';
import { CAMERA_MOVES } from '../../src/media/image-to-clip.js';
import { BEAT_TEMPLATE_SLOTS, loadBeatLibrary } from '../../src/plan/index.js';
import { errorMessageOf, tempDir } from './helpers.js';

const SHIPPED_BEATS = fileURLToPath(new URL('../../src/plan/beats.yaml', import.meta.url));
const SHIPPED_ARCHETYPES = fileURLToPath(new URL('../../src/plan/archetypes.yaml', import.meta.url));

type Entry = Record<string, unknown>;

/** Writes edited copies of the shipped files to a temp folder and returns their paths. */
function editedLibrary(edit: { beats?: (beats: Entry[]) => void; archetypes?: (archetypes: Entry[]) => void }) {
  const dir = tempDir('library');
  const beats = parse(readFileSync(SHIPPED_BEATS, 'utf8')) as { beats: Entry[] };
  const archetypes = parse(readFileSync(SHIPPED_ARCHETYPES, 'utf8')) as { archetypes: Entry[] };
  edit.beats?.(beats.beats);
  edit.archetypes?.(archetypes.archetypes);
  const paths = { beats: path.join(dir, 'beats.yaml'), archetypes: path.join(dir, 'archetypes.yaml') };
  writeFileSync(paths.beats, stringify(beats));
  writeFileSync(paths.archetypes, stringify(archetypes));
  return paths;
}

describe('loadBeatLibrary', () => {
  it('ships at least 15 beats and 5 archetypes whose suggested beats all exist', () => {
    const library = loadBeatLibrary();
    expect(library.beats.size).toBeGreaterThanOrEqual(15);
    expect(library.archetypes.size).toBeGreaterThanOrEqual(5);
    expect(library.archetypes.has(library.defaultArchetypeId)).toBe(true);
    for (const archetype of library.archetypes.values()) {
      for (const id of archetype.suggestedBeats) expect(library.beats.has(id), `${archetype.id} → ${id}`).toBe(true);
      expect(archetype.durationRangeS[0]).toBeLessThanOrEqual(archetype.durationRangeS[1]);
    }
  });

  it('ships beats that use only known camera movements and template slots', () => {
    for (const beat of loadBeatLibrary().beats.values()) {
      expect(CAMERA_MOVES).toContain(beat.cameraMovement);
      const slots = [...beat.promptTemplate.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      for (const slot of slots) expect(BEAT_TEMPLATE_SLOTS as readonly string[]).toContain(slot);
      expect(slots).toEqual(expect.arrayContaining(['product', 'style']));
    }
  });

  it('reads the shipped files once and hands back the same library', () => {
    expect(loadBeatLibrary()).toBe(loadBeatLibrary());
  });

  it('loads edited copies from explicit paths', () => {
    const paths = editedLibrary({ beats: (beats) => Object.assign(beats[0] as Entry, { title: 'Renamed hero' }) });
    expect(loadBeatLibrary(paths).beats.get('hero_shot')?.title).toBe('Renamed hero');
  });

  it('refuses a beat with an unknown camera movement, naming the file, the beat and the field', () => {
    const paths = editedLibrary({ beats: (beats) => Object.assign(beats[0] as Entry, { cameraMovement: 'crane_up' }) });
    const message = errorMessageOf(() => loadBeatLibrary(paths));
    expect(message).toContain(paths.beats);
    expect(message).toContain('"hero_shot"');
    expect(message).toContain('cameraMovement');
    expect(message).toContain('dolly_in');
  });

  it('refuses a prompt template with an unknown slot, naming the slot', () => {
    const paths = editedLibrary({
      beats: (beats) => Object.assign(beats[2] as Entry, { promptTemplate: '{brand} close-up of {product}, {style}' }),
    });
    const message = errorMessageOf(() => loadBeatLibrary(paths));
    expect(message).toContain(paths.beats);
    expect(message).toContain('"dynamic_intro"');
    expect(message).toContain('promptTemplate');
    expect(message).toContain('unknown slot {brand}');
  });

  it('refuses an archetype that names a missing beat, naming the archetype and the beat', () => {
    const paths = editedLibrary({
      archetypes: (archetypes) => ((archetypes[0] as Entry).suggestedBeats as string[]).splice(2, 0, 'drone_flyover'),
    });
    const error = (() => {
      try {
        loadBeatLibrary(paths);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(PermanentError);
    const message = (error as Error).message;
    expect(message).toContain(paths.archetypes);
    expect(message).toContain('"luxury_showcase"');
    expect(message).toContain('suggestedBeats[2]');
    expect(message).toContain('unknown beat "drone_flyover"');
  });

  it('refuses duplicate beat ids and an archetype without a closing beat', () => {
    const duplicate = editedLibrary({ beats: (beats) => beats.push({ ...(beats[0] as Entry) }) });
    expect(errorMessageOf(() => loadBeatLibrary(duplicate))).toMatch(/"hero_shot".*duplicate id/);
    const unclosed = editedLibrary({
      archetypes: (archetypes) =>
        Object.assign(archetypes[1] as Entry, { suggestedBeats: ['dynamic_intro', 'speed_ramp'] }),
    });
    expect(errorMessageOf(() => loadBeatLibrary(unclosed))).toMatch(
      /"high_energy" → suggestedBeats: needs at least one closing beat/,
    );
  });

  it('names the file when it is not valid YAML', () => {
    const paths = editedLibrary({});
    writeFileSync(paths.beats, 'beats:\n  - id: [unclosed\n');
    const message = errorMessageOf(() => loadBeatLibrary(paths));
    expect(message).toContain(paths.beats);
    expect(message).toContain('not valid YAML');
  });
});
