import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../src/errors.js';
import { discoverFlavors, getFlavor, listFlavors } from '../../src/flavors/index.js';
import { createLogger } from '../../src/log.js';
import { type AdPlan, musicPrompt, planScenes, planVideo, storyboardPrompt } from '../../src/plan/index.js';
import { errorMessageOf, tempDir, userErrorOf } from '../plan/helpers.js';

const SHIPPED_ROOT = fileURLToPath(new URL('../../flavors/', import.meta.url));

/** A temp flavors root holding a copy of the shipped `default`; returns its path. */
function rootWithDefault(): string {
  const root = tempDir('flavors');
  cpSync(path.join(SHIPPED_ROOT, 'default'), path.join(root, 'default'), { recursive: true });
  return root;
}

function addFlavor(root: string, name: string, files: Record<string, string>): void {
  mkdirSync(path.join(root, name));
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(root, name, file), text);
}

function capturingLogger() {
  const stream = new PassThrough();
  const lines: Array<Record<string, unknown>> = [];
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
  });
  return { log: createLogger({ destination: stream, pretty: false, level: 'debug' }), lines };
}

describe('listFlavors', () => {
  it('lists default first, then cinematic, with descriptions and their own files', () => {
    const flavors = listFlavors();
    expect(flavors.map((flavor) => flavor.name).slice(0, 2)).toEqual(['default', 'cinematic']);
    const cinematic = flavors.find((flavor) => flavor.name === 'cinematic');
    expect(cinematic?.description).toMatch(/anamorphic/i);
    expect(cinematic?.files).toEqual(['flavor.yaml', 'parameters.yaml', 'prompts.yaml']);
  });
});

describe('getFlavor', () => {
  it('gives default for no name, and accepts a name in any case with spaces around it', () => {
    expect(getFlavor().name).toBe('default');
    expect(getFlavor('').name).toBe('default');
    expect(getFlavor(' Cinematic ').name).toBe('cinematic');
  });

  it('falls back to default for an unknown flavor, says so, and logs a warning', async () => {
    const { log, lines } = capturingLogger();
    const flavor = getFlavor('noir', { log });
    expect(flavor.name).toBe('default');
    expect(flavor.fellBackFrom).toBe('noir');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 40,
        flavor: 'noir',
        fallback: 'default',
        msg: 'Unknown flavor "noir"; using default',
      }),
    );
    expect(getFlavor('default').fellBackFrom).toBeUndefined();
  });

  it.each(['../default', '..', 'cinematic/../../etc', '/etc/passwd', 'a b', 'café', 'x'.repeat(65)])(
    'refuses the name %j with invalid_flavor, listing the valid names',
    (name) => {
      const error = userErrorOf(() => getFlavor(name));
      expect(error.code).toBe('invalid_flavor');
      expect(error.message).toContain('Available flavors: default, cinematic');
    },
  );

  it('takes a file the flavor lacks whole from default', () => {
    const root = rootWithDefault();
    const parameters = readFileSync(path.join(root, 'default', 'parameters.yaml'), 'utf8').replace(
      'sceneDurationS: 5',
      'sceneDurationS: 15',
    );
    addFlavor(root, 'slow-scenes', { 'parameters.yaml': parameters });
    const flavor = getFlavor('slow-scenes', { root });
    const fallback = getFlavor('default', { root });
    expect(flavor.sources).toEqual({ prompts: 'default', parameters: 'slow-scenes' });
    expect(flavor.prompts).toEqual(fallback.prompts);
    expect(flavor.parameters.sceneDurationS).toBe(15);
    expect(listFlavors({ root }).find((info) => info.name === 'slow-scenes')).toEqual({
      name: 'slow-scenes',
      description: 'The slow-scenes flavor',
      files: ['parameters.yaml'],
    });
    const plan = planVideo(
      { prompt: 'rain', mode: 'music_video', durationS: 30, flavor: 'slow-scenes' },
      { flavorsRoot: root },
    );
    expect(plan.mode === 'music_video' && plan.scenes.map((scene) => scene.durationS)).toEqual([15, 15]);
  });

  it('stops at discovery on a flavor file with an unknown slot, naming the file and field', () => {
    const root = rootWithDefault();
    const prompts = readFileSync(path.join(root, 'default', 'prompts.yaml'), 'utf8').replace(
      'direction: "{shot} shot, {action}, {camera}"',
      'direction: "{shot} shot, {lens}, {camera}"',
    );
    addFlavor(root, 'typo', { 'prompts.yaml': prompts });
    const message = errorMessageOf(() => discoverFlavors({ root }));
    expect(message).toContain(path.join(root, 'typo', 'prompts.yaml'));
    expect(message).toContain('beat.direction: unknown slot {lens}');
  });

  it('stops at discovery on an unknown file or a default flavor that is incomplete', () => {
    const unknownFile = rootWithDefault();
    addFlavor(unknownFile, 'misspelt', { 'prompt.yaml': 'beat: {}\n' });
    expect(errorMessageOf(() => discoverFlavors({ root: unknownFile }))).toMatch(/Unknown file .*prompt\.yaml/);
    const noDefault = tempDir('flavors');
    addFlavor(noDefault, 'default', { 'flavor.yaml': 'description: empty\n' });
    expect(() => discoverFlavors({ root: noDefault })).toThrow(PermanentError);
    expect(errorMessageOf(() => discoverFlavors({ root: noDefault }))).toContain(
      'must hold prompts.yaml and parameters.yaml',
    );
  });

  it('hands out frozen flavors so one caller cannot change another caller’s prompts', () => {
    const flavor = getFlavor('cinematic');
    expect(Object.isFrozen(flavor.prompts.beat)).toBe(true);
    expect(() => {
      (flavor.parameters.music as { volume: number }).volume = 1;
    }).toThrow(TypeError);
  });
});

describe('the cinematic flavor', () => {
  const request = { prompt: 'A luxury watch on black velvet', durationS: 30, creativity: 0 };
  const plain = planVideo(request) as AdPlan;
  const cinematic = planVideo({ ...request, flavor: 'cinematic' }) as AdPlan;

  it('changes every beat prompt and direction, and the negative prompt', () => {
    expect(cinematic.flavor).toBe('cinematic');
    for (const beat of cinematic.beats) {
      expect(beat.prompt).toMatch(/^Cinematic film still, anamorphic widescreen: /);
      expect(beat.prompt).toContain('35mm film grain, shallow depth of field');
      expect(beat.directionPrompt).toContain('slow deliberate motion');
    }
    expect(plain.beats.some((beat) => beat.prompt.includes('35mm'))).toBe(false);
    expect(cinematic.negativePrompt).toContain('digital video look');
    expect(cinematic.negativePrompt).not.toEqual(plain.negativePrompt);
    expect(planScenes(cinematic)[0]?.negativePrompt).toBe(cinematic.negativePrompt);
  });

  it('plans longer beats, a teal-orange palette (after colours the prompt names), a slower tempo and an orchestral score', () => {
    expect(cinematic.beats.length).toBeLessThan(plain.beats.length);
    expect(cinematic.beats.every((beat) => beat.durationS >= 10)).toBe(true);
    expect(cinematic.style.palette).toEqual(['#0b0b0b', '#0f3d3e', '#1f6f78', '#e07a2f', '#f4a259']);
    const unnamed = planVideo({ prompt: 'A luxury watch', flavor: 'cinematic' }) as AdPlan;
    expect(unnamed.style).toMatchObject({
      palette: ['#0f3d3e', '#1f6f78', '#e07a2f', '#f4a259'],
      look: 'anamorphic cinematic film look',
    });
    expect(cinematic.audio.tempoBpm).toBe(plain.audio.tempoBpm - 15);
    expect(musicPrompt(cinematic, getFlavor('cinematic'))).toMatch(/^cinematic orchestral film score, .*65 BPM/);
    expect(musicPrompt(plain, getFlavor('default'))).toMatch(/instrumental, 80 BPM, sophisticated mood/);
    const scene = planScenes(cinematic)[0];
    if (!scene) throw new Error('no scene');
    expect(storyboardPrompt(scene, cinematic, getFlavor('cinematic'))).toMatch(/^Cinematic storyboard frame/);
  });

  it('sets different image, video and music parameters', () => {
    const base = getFlavor('default').parameters;
    const film = getFlavor('cinematic').parameters;
    expect(film.image).not.toEqual(base.image);
    expect(film.image.aspectRatio).toBe('21:9');
    expect(film.video.promptOptimizer).toBe(false);
    expect(film.music.volume).toBeLessThan(base.music.volume);
    expect(film.sceneDurationS).toBeGreaterThan(base.sceneDurationS);
  });
});
