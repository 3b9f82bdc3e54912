import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { ModelSpec } from '../../src/models/types.js';

/** A small valid registry document (one model per kind) that tests mutate into bad ones. */
export function validDocument(): { defaults: Record<string, string>; models: Array<Record<string, unknown>> } {
  return {
    defaults: { video: 'clip', image: 'still', music: 'tune', lipsync: 'mouth' },
    models: [
      {
        key: 'clip',
        kind: 'video',
        replicateId: 'acme/clip',
        label: 'Clip',
        description: 'A test video model.',
        allowedDurationsS: [4, 8],
        durationControllable: true,
        fps: 24,
        width: 1280,
        height: 720,
        params: { prompt: 'prompt', firstFrame: 'image', duration: 'duration' },
        fixedInputs: { resolution: '720p' },
        supports: { textToVideo: true, firstFrame: true },
        cost: { unit: 'second', usd: 0.1 },
      },
      {
        key: 'still',
        kind: 'image',
        replicateId: 'acme/still',
        label: 'Still',
        description: 'A test image model.',
        maxOutputs: 4,
        params: { prompt: 'prompt', count: 'num_outputs' },
        cost: { unit: 'image', usd: 0.003 },
      },
      {
        key: 'tune',
        kind: 'music',
        replicateId: `acme/tune:${'a'.repeat(64)}`,
        label: 'Tune',
        description: 'A test music model.',
        maxDurationS: 30,
        defaultDurationS: 30,
        params: { prompt: 'prompt', duration: 'duration' },
        cost: { unit: 'run', usd: 0.1 },
      },
      {
        key: 'mouth',
        kind: 'lipsync',
        replicateId: 'acme/mouth',
        label: 'Mouth',
        description: 'A test lipsync model.',
        params: { video: 'video', audio: 'audio' },
        cost: { unit: 'second', usd: 0.05 },
      },
    ],
  };
}

/** Writes `doc` (an object, or raw text) as YAML into a fresh temp dir; `cleanup` removes it. */
export function writeRegistry(doc: unknown): { file: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'reelsmith-models-'));
  const file = path.join(dir, 'models.yaml');
  writeFileSync(file, typeof doc === 'string' ? doc : stringify(doc));
  return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A video spec built in memory, for planner cases the shipped registry does not cover. */
export function videoSpec(overrides: Partial<ModelSpec>): ModelSpec {
  return {
    key: 'test-video',
    kind: 'video',
    replicateId: 'acme/test-video',
    label: 'Test video',
    description: 'In-memory test model.',
    durationControllable: false,
    fps: 24,
    width: 1280,
    height: 720,
    params: { prompt: 'prompt' },
    fixedInputs: {},
    supports: { textToVideo: true, firstFrame: false, lastFrame: false, referenceImages: false },
    cost: { unit: 'second', usd: 0.1 },
    ...overrides,
  };
}
