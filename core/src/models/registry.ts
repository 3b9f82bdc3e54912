import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { UserError } from '../errors.js';
import { registryDocumentSchema } from './registry-schema.js';
import { MODEL_KINDS, type ModelKind, type ModelSpec } from './types.js';

export { type ModelInfo, toModelInfo } from './model-info.js';

/** `core/models.yaml`, the registry shipped with the code. */
export const DEFAULT_MODEL_REGISTRY_URL = new URL('../../models.yaml', import.meta.url);

/** One thing wrong with a registry file: the model's key (absent for file-level fields) and the field. */
export interface RegistryProblem {
  key?: string;
  field: string;
  message: string;
}

/** The models Reelsmith may call, validated and frozen. Keys are matched case-insensitively. */
export interface ModelRegistry {
  /** Absolute path of the file it was read from. */
  readonly file: string;
  /** The default model of each kind; an embedding model is optional. */
  readonly defaults: Readonly<RegistryDefaults>;
  /** The model `key` (of `kind`, when given); else UserError `unknown_model` listing the valid keys. */
  get(key: string, kind?: ModelKind): ModelSpec;
  /** Every model (of `kind`, when given), in file order. */
  list(kind?: ModelKind): readonly ModelSpec[];
  /** @throws UserError `unknown_model` for `embedding` when the registry names none. */
  defaultFor(kind: ModelKind): ModelSpec;
}

export type RegistryDefaults = Record<Exclude<ModelKind, 'embedding'>, string> & { embedding?: string | undefined };

let shipped: ModelRegistry | undefined;

/**
 * Reads and validates a registry file (default: `core/models.yaml`, read once per process and
 * memoised). A bad file throws UserError `invalid_model_registry` whose message names the file,
 * and each bad model's key and field; `details.problems` holds them as `RegistryProblem`s.
 */
export function loadModelRegistry(file?: string | URL): ModelRegistry {
  if (file === undefined) {
    shipped ??= readRegistry(DEFAULT_MODEL_REGISTRY_URL);
    return shipped;
  }
  return readRegistry(file);
}

/** Validates registry YAML already in memory; `file` only labels errors and `registry.file`. */
export function parseModelRegistry(source: string, file: string): ModelRegistry {
  let raw: unknown;
  try {
    raw = parseYaml(source);
  } catch (error) {
    throw invalid(file, [{ field: '(yaml)', message: error instanceof Error ? error.message : String(error) }], error);
  }
  const parsed = registryDocumentSchema.safeParse(raw);
  if (!parsed.success) throw invalid(file, problemsOf(parsed.error, raw));
  const models: ModelSpec[] = parsed.data.models.map((model) => deepFreeze(model));
  return createRegistry(file, models, parsed.data.defaults);
}

function readRegistry(file: string | URL): ModelRegistry {
  const absolute = typeof file === 'string' ? path.resolve(file) : fileURLToPath(file);
  let source: string;
  try {
    source = readFileSync(absolute, 'utf8');
  } catch (error) {
    throw invalid(absolute, [{ field: '(file)', message: 'cannot be read' }], error);
  }
  return parseModelRegistry(source, absolute);
}

function createRegistry(file: string, models: ModelSpec[], defaults: RegistryDefaults): ModelRegistry {
  const byKey = new Map(models.map((model) => [model.key, model]));
  const byKind = new Map(MODEL_KINDS.map((kind) => [kind, Object.freeze(models.filter((m) => m.kind === kind))]));
  const all = Object.freeze([...models]);
  const list = (kind?: ModelKind): readonly ModelSpec[] => (kind ? (byKind.get(kind) ?? []) : all);

  const get = (key: string, kind?: ModelKind): ModelSpec => {
    const spec = byKey.get(key.trim().toLowerCase());
    if (spec && (kind === undefined || spec.kind === kind)) return spec;
    const valid = list(kind).map((model) => model.key);
    const hint = spec && kind ? ` ('${spec.key}' is ${spec.kind === 'image' ? 'an' : 'a'} ${spec.kind} model.)` : '';
    throw new UserError(
      'unknown_model',
      `Unknown ${kind ?? ''}${kind ? ' ' : ''}model '${key}'. Valid: ${valid.join(', ')}.${hint}`,
      {
        details: { key, kind, valid },
      },
    );
  };

  return Object.freeze({
    file,
    defaults: Object.freeze({ ...defaults }),
    get,
    list,
    defaultFor: (kind: ModelKind) => get(defaults[kind] ?? '', kind),
  });
}

function problemsOf(error: z.ZodError, raw: unknown): RegistryProblem[] {
  return error.issues.flatMap((issue) => {
    const unknownFields = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    const message = issue.code === 'unrecognized_keys' ? 'is not a field of the registry' : issue.message;
    const [head, index, ...rest] = issue.path;
    return unknownFields.map((extra) => {
      const tail = extra === undefined ? [] : [extra];
      if (head === 'models' && typeof index === 'number') {
        return { key: keyAt(raw, index), field: [...rest, ...tail].map(String).join('.') || '(entry)', message };
      }
      return { field: [...issue.path, ...tail].map(String).join('.') || '(file)', message };
    });
  });
}

function keyAt(raw: unknown, index: number): string {
  const models = (raw as { models?: unknown } | null)?.models;
  const entry = Array.isArray(models) ? (models[index] as { key?: unknown } | undefined) : undefined;
  return typeof entry?.key === 'string' ? entry.key : `#${index + 1}`;
}

function invalid(file: string, problems: RegistryProblem[], cause?: unknown): UserError {
  const lines = problems.map(
    (p) => `  ${p.key === undefined ? '' : `model '${p.key}', `}field '${p.field}': ${p.message}`,
  );
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  return new UserError('invalid_model_registry', `Invalid model registry ${file} (${count}):\n${lines.join('\n')}`, {
    cause,
    details: { file, problems },
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
