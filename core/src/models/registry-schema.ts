import { z } from 'zod';
import { MODEL_KINDS, type ModelKind } from './types.js';

/**
 * The zod schema of `core/models.yaml`: field shapes, then the cross-field rules a registry
 * edit can break (duration facts, params vs fixedInputs, supports vs params, defaults).
 */

const FRAME_RATE_INPUTS = ['frames_per_second', 'fps'] as const;
const FRAME_RATIO_TOLERANCE_S = 0.01;

const positive = z.number().positive();
const positiveInt = z.number().int().positive();
const inputName = z.string().trim().min(1);

const paramsSchema = z.strictObject({
  prompt: inputName.optional(),
  negativePrompt: inputName.optional(),
  firstFrame: inputName.optional(),
  lastFrame: inputName.optional(),
  duration: inputName.optional(),
  seed: inputName.optional(),
  count: inputName.optional(),
  reference: inputName.optional(),
  video: inputName.optional(),
  audio: inputName.optional(),
  inputs: inputName.optional(),
});

const supportsSchema = z.strictObject({
  textToVideo: z.boolean().default(false),
  firstFrame: z.boolean().default(false),
  lastFrame: z.boolean().default(false),
  referenceImages: z.boolean().default(false),
});

const modelSchema = z
  .strictObject({
    key: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'must be lowercase letters, digits, dots and hyphens'),
    kind: z.enum(MODEL_KINDS, { error: `must be one of ${MODEL_KINDS.join(', ')}` }),
    replicateId: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*(:[0-9a-f]{64})?$/,
        'must be owner/name or owner/name:<64-hex version>',
      ),
    label: z.string().trim().min(1),
    description: z.string().trim().min(1),
    actualChunkDurationS: positive.optional(),
    allowedDurationsS: z
      .array(positive)
      .min(1)
      .refine((list) => new Set(list).size === list.length, 'must not repeat a duration')
      .transform((list) => [...list].sort((a, b) => a - b))
      .optional(),
    durationControllable: z.boolean().default(false),
    fps: positive.optional(),
    width: positiveInt.optional(),
    height: positiveInt.optional(),
    maxDurationS: positive.optional(),
    defaultDurationS: positive.optional(),
    maxOutputs: positiveInt.optional(),
    params: paramsSchema,
    fixedInputs: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    supports: supportsSchema.default({
      textToVideo: false,
      firstFrame: false,
      lastFrame: false,
      referenceImages: false,
    }),
    cost: z.strictObject({ unit: z.enum(['run', 'image', 'second']), usd: z.number().nonnegative() }),
    outputHasAudio: z.boolean().optional(),
    outputIsArray: z.boolean().optional(),
    typicalLatencyS: positive.optional(),
    dimensions: positiveInt.max(4096).optional(),
    embedsText: z.boolean().optional(),
  })
  .superRefine((model, ctx) => {
    for (const problem of crossFieldProblems(model)) ctx.addIssue({ code: 'custom', ...problem });
  });

type ParsedModel = z.output<typeof modelSchema>;
type FieldProblem = { path: Array<string | number>; message: string };

function crossFieldProblems(model: ParsedModel): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (path: Array<string | number>, message: string) => problems.push({ path, message });
  const { params, supports, fixedInputs } = model;

  const byInput = new Map<string, string>();
  for (const [ours, theirs] of Object.entries(params)) {
    if (theirs === undefined) continue;
    const other = byInput.get(theirs);
    if (other) add(['params', ours], `maps to '${theirs}', which params.${other} already uses`);
    byInput.set(theirs, ours);
    if (theirs in fixedInputs)
      add(['fixedInputs', theirs], `collides with params.${ours}: an input is either ours or fixed`);
  }

  const pairs = [
    ['firstFrame', 'firstFrame'],
    ['lastFrame', 'lastFrame'],
    ['referenceImages', 'reference'],
  ] as const;
  for (const [flag, param] of pairs) {
    if (supports[flag] !== (params[param] !== undefined)) {
      add(
        ['supports', flag],
        `must be ${params[param] !== undefined} because params.${param} is ${params[param] ? 'set' : 'absent'}`,
      );
    }
  }

  if (model.kind === 'video') problems.push(...videoProblems(model));
  else {
    for (const field of ['actualChunkDurationS', 'allowedDurationsS'] as const) {
      if (model[field] !== undefined) add([field], `only video models have ${field}`);
    }
    if (supports.textToVideo) add(['supports', 'textToVideo'], 'only video models do text-to-video');
    if (model.durationControllable) add(['durationControllable'], 'only video models have chunk durations');
  }
  if (model.kind !== 'lipsync' && model.kind !== 'embedding' && !params.prompt)
    add(['params', 'prompt'], `a ${model.kind} model needs a prompt input`);
  problems.push(...kindProblems(model));
  return problems;
}

function kindProblems(model: ParsedModel): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (path: Array<string | number>, message: string) => problems.push({ path, message });
  const { params } = model;
  if (model.kind === 'image') {
    if (model.maxOutputs === undefined) add(['maxOutputs'], 'an image model needs maxOutputs');
    else if (!params.count && model.maxOutputs !== 1) add(['maxOutputs'], 'must be 1 without a params.count input');
    if (model.cost.unit === 'second') add(['cost', 'unit'], 'an image model is billed per image or per run');
  }
  if (model.kind === 'music') {
    if (!params.duration) add(['params', 'duration'], 'a music model needs a duration input');
    if (model.maxDurationS === undefined) add(['maxDurationS'], 'a music model needs maxDurationS');
    if (model.defaultDurationS === undefined) add(['defaultDurationS'], 'a music model needs defaultDurationS');
    if (
      model.defaultDurationS !== undefined &&
      model.maxDurationS !== undefined &&
      model.defaultDurationS > model.maxDurationS
    ) {
      add(['defaultDurationS'], `must be at most maxDurationS (${model.maxDurationS})`);
    }
  }
  if (model.kind === 'lipsync') {
    if (!params.video) add(['params', 'video'], 'a lipsync model needs a video input');
    if (!params.audio) add(['params', 'audio'], 'a lipsync model needs an audio input');
  }
  if (model.kind === 'embedding') {
    if (!params.inputs) add(['params', 'inputs'], 'an embedding model needs an inputs input');
    if (model.dimensions === undefined) add(['dimensions'], 'an embedding model needs dimensions');
    if (model.cost.unit !== 'run') add(['cost', 'unit'], 'an embedding model is billed per run');
  } else {
    if (model.dimensions !== undefined) add(['dimensions'], 'only embedding models have dimensions');
    if (model.embedsText !== undefined) add(['embedsText'], 'only embedding models have embedsText');
    if (params.inputs) add(['params', 'inputs'], 'only embedding models have an inputs input');
  }
  return problems;
}

function videoProblems(model: ParsedModel): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (path: Array<string | number>, message: string) => problems.push({ path, message });
  const { actualChunkDurationS: fixed, allowedDurationsS: allowed, params } = model;

  if ((fixed === undefined) === (allowed === undefined)) {
    add(
      [fixed === undefined ? 'actualChunkDurationS' : 'allowedDurationsS'],
      'a video model needs exactly one of actualChunkDurationS (one output length) or allowedDurationsS (a choice)',
    );
  }
  if (allowed !== undefined) {
    if (!params.duration) add(['params', 'duration'], 'allowedDurationsS needs a duration input');
    if (!model.durationControllable) add(['durationControllable'], 'must be true with allowedDurationsS');
    if (model.defaultDurationS !== undefined && !allowed.includes(model.defaultDurationS)) {
      add(['defaultDurationS'], `must be one of allowedDurationsS (${allowed.join(', ')})`);
    }
  }
  if (fixed !== undefined) {
    if (params.duration) add(['params', 'duration'], 'a model with one output length takes no duration input');
    if (model.durationControllable) add(['durationControllable'], 'must be false with actualChunkDurationS');
    const frames = model.fixedInputs.num_frames;
    const rateInput = FRAME_RATE_INPUTS.find((name) => typeof model.fixedInputs[name] === 'number');
    const rate = rateInput ? model.fixedInputs[rateInput] : undefined;
    if (
      typeof frames === 'number' &&
      typeof rate === 'number' &&
      Math.abs(frames / rate - fixed) > FRAME_RATIO_TOLERANCE_S
    ) {
      add(['actualChunkDurationS'], `must equal fixedInputs num_frames / ${rateInput} = ${frames / rate}`);
    }
  }
  for (const field of ['fps', 'width', 'height'] as const) {
    if (model[field] === undefined) add([field], 'a video model needs fps, width and height');
  }
  if (model.cost.unit === 'image') add(['cost', 'unit'], 'a video model is billed per run or per second');
  if (!model.supports.textToVideo && !model.supports.firstFrame) {
    add(['supports', 'textToVideo'], 'a video model without text-to-video needs a first-frame input');
  }
  return problems;
}

/** The whole file: defaults per kind and the list of models. */
export const registryDocumentSchema = z
  .strictObject({
    defaults: z.strictObject({
      video: z.string(),
      image: z.string(),
      music: z.string(),
      lipsync: z.string(),
      /** Optional: without an embedding model, Replicate deployments embed locally. */
      embedding: z.string().optional(),
    }),
    models: z.array(modelSchema).min(1),
  })
  .superRefine((doc, ctx) => {
    const kindOf = new Map<string, ModelKind>();
    doc.models.forEach((model, index) => {
      if (kindOf.has(model.key))
        ctx.addIssue({ code: 'custom', path: ['models', index, 'key'], message: 'is a duplicate key' });
      kindOf.set(model.key, model.kind);
    });
    for (const kind of MODEL_KINDS) {
      const key = doc.defaults[kind];
      if (key === undefined) continue;
      const actual = kindOf.get(key);
      if (actual === undefined) {
        ctx.addIssue({ code: 'custom', path: ['defaults', kind], message: `names '${key}', which is not in models` });
      } else if (actual !== kind) {
        ctx.addIssue({
          code: 'custom',
          path: ['defaults', kind],
          message: `names '${key}', whose kind is ${actual}, not ${kind}`,
        });
      }
    }
  });

export type RegistryDocument = z.output<typeof registryDocumentSchema>;
