import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { loadModelRegistry, type RegistryProblem } from '../../src/models/index.js';
import { validDocument, writeRegistry } from './fixtures.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function failureOf(doc: unknown): { error: UserError; file: string; problems: RegistryProblem[] } {
  const { file, cleanup } = writeRegistry(doc);
  cleanups.push(cleanup);
  try {
    loadModelRegistry(file);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    const userError = error as UserError;
    expect(userError.code).toBe('invalid_model_registry');
    expect(userError.message).toContain(file);
    return { error: userError, file, problems: userError.details?.problems as RegistryProblem[] };
  }
  throw new Error('expected loadModelRegistry to fail');
}

function mutated(edit: (doc: ReturnType<typeof validDocument>) => void): ReturnType<typeof validDocument> {
  const doc = validDocument();
  edit(doc);
  return doc;
}

function model(doc: ReturnType<typeof validDocument>, key: string): Record<string, unknown> {
  const found = doc.models.find((m) => m.key === key);
  if (!found) throw new Error(`no ${key} in fixture`);
  return found;
}

describe('loadModelRegistry validation', () => {
  it('accepts the fixture document', () => {
    const { file, cleanup } = writeRegistry(validDocument());
    cleanups.push(cleanup);
    expect(loadModelRegistry(file).list()).toHaveLength(4);
  });

  it('refuses a video model without duration facts, naming the key and the field', () => {
    const { error, problems } = failureOf(
      mutated((doc) => {
        const clip = model(doc, 'clip');
        delete clip.allowedDurationsS;
      }),
    );
    expect(problems).toContainEqual(expect.objectContaining({ key: 'clip', field: 'actualChunkDurationS' }));
    expect(error.message).toContain("model 'clip', field 'actualChunkDurationS'");
  });

  it('refuses a video model with both a fixed length and a choice of durations', () => {
    const { problems } = failureOf(mutated((doc) => Object.assign(model(doc, 'clip'), { actualChunkDurationS: 5 })));
    expect(problems).toContainEqual(expect.objectContaining({ key: 'clip', field: 'allowedDurationsS' }));
  });

  it('refuses an unknown kind, naming the key and the field', () => {
    const { error, problems } = failureOf(mutated((doc) => Object.assign(model(doc, 'still'), { kind: 'hologram' })));
    expect(problems).toContainEqual(expect.objectContaining({ key: 'still', field: 'kind' }));
    expect(error.message).toMatch(/model 'still', field 'kind': must be one of video, image, music, lipsync/);
  });

  it('refuses a default of the wrong kind', () => {
    const { error, problems } = failureOf(mutated((doc) => Object.assign(doc.defaults, { video: 'still' })));
    expect(problems).toContainEqual(expect.objectContaining({ field: 'defaults.video' }));
    expect(error.message).toContain("field 'defaults.video': names 'still', whose kind is image, not video");
  });

  it('refuses a default that names no model', () => {
    const { problems } = failureOf(mutated((doc) => Object.assign(doc.defaults, { music: 'ghost' })));
    expect(problems).toContainEqual(
      expect.objectContaining({ field: 'defaults.music', message: expect.stringContaining('ghost') }),
    );
  });

  it('refuses an input that is both mapped and fixed', () => {
    const { problems } = failureOf(
      mutated((doc) => Object.assign(model(doc, 'clip'), { fixedInputs: { resolution: '720p', duration: 8 } })),
    );
    expect(problems).toContainEqual(expect.objectContaining({ key: 'clip', field: 'fixedInputs.duration' }));
  });

  it('refuses a supports flag that contradicts the params', () => {
    const { problems } = failureOf(
      mutated((doc) =>
        Object.assign(model(doc, 'clip'), { supports: { textToVideo: true, firstFrame: true, lastFrame: true } }),
      ),
    );
    expect(problems).toContainEqual(expect.objectContaining({ key: 'clip', field: 'supports.lastFrame' }));
  });

  it('refuses a fixed frame count that disagrees with the chunk duration', () => {
    const { problems } = failureOf(
      mutated((doc) => {
        const clip = model(doc, 'clip');
        delete clip.allowedDurationsS;
        Object.assign(clip, {
          actualChunkDurationS: 5,
          durationControllable: false,
          params: { prompt: 'prompt', firstFrame: 'image' },
          fixedInputs: { num_frames: 81, frames_per_second: 24 },
        });
      }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        key: 'clip',
        field: 'actualChunkDurationS',
        message: expect.stringContaining('num_frames'),
      }),
    );
  });

  it('refuses a replicate id that is not owner/name or owner/name:hash', () => {
    const { problems } = failureOf(
      mutated((doc) => Object.assign(model(doc, 'tune'), { replicateId: 'musicgen:abc' })),
    );
    expect(problems).toContainEqual(expect.objectContaining({ key: 'tune', field: 'replicateId' }));
  });

  it('refuses duplicate keys and misspelt fields', () => {
    const { problems } = failureOf(
      mutated((doc) => {
        Object.assign(model(doc, 'still'), { maxOutput: 4 });
      }),
    );
    expect(problems).toContainEqual(expect.objectContaining({ key: 'still', field: 'maxOutput' }));
    const duplicate = failureOf(mutated((doc) => doc.models.push({ ...model(doc, 'mouth') })));
    expect(duplicate.problems).toContainEqual(
      expect.objectContaining({ key: 'mouth', field: 'key', message: 'is a duplicate key' }),
    );
  });

  it('refuses a music model that could fall back to its own default length', () => {
    const { problems } = failureOf(
      mutated((doc) => {
        delete model(doc, 'tune').defaultDurationS;
      }),
    );
    expect(problems).toContainEqual(expect.objectContaining({ key: 'tune', field: 'defaultDurationS' }));
  });

  it('refuses YAML that does not parse', () => {
    const { problems } = failureOf('defaults: [unclosed\nmodels: {');
    expect(problems[0]).toMatchObject({ field: '(yaml)' });
  });

  it('refuses a file that does not exist', () => {
    expect(() => loadModelRegistry('/nonexistent/models.yaml')).toThrow(
      /Invalid model registry \/nonexistent\/models\.yaml/,
    );
  });
});
