import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { z } from 'zod';
import { PermanentError } from '../errors.js';

/** A file location as a path or a `file:` URL (modules find their data via `new URL(…, import.meta.url)`). */
export type FileLocation = string | URL;

/** The location as a filesystem path, for messages and `path` functions. */
export function locationPath(location: FileLocation): string {
  return typeof location === 'string' ? location : fileURLToPath(location);
}

/**
 * Reads, parses and validates one YAML data file.
 * @throws PermanentError naming the file for a missing file or bad YAML, and naming the file,
 *   the entry (with its `id` when it has one) and the field for every schema problem.
 */
export function readYamlFile<S extends z.ZodType>(location: FileLocation, schema: S): z.output<S> {
  const file = locationPath(location);
  const raw = parseYamlFile(file);
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${describePath(issue.path, raw)}: ${issue.message}`);
  throw dataFileError(file, problems);
}

/** Reads and parses a YAML file without validating it. @throws PermanentError naming the file. */
export function parseYamlFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PermanentError(`Cannot read data file ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return parse(text);
  } catch (error) {
    throw new PermanentError(`${file} is not valid YAML: ${(error as Error).message}`, { cause: error });
  }
}

/** One error listing every problem found in `file`, one per line. */
export function dataFileError(file: string, problems: readonly string[]): PermanentError {
  return new PermanentError(`Invalid data file ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

/**
 * `beats[3] "hero_shot" → cameraMovement`: the issue's path, with the `id` of every list entry on
 * the way (when the raw entry has one) so a reader finds it without counting.
 */
export function describePath(path: ReadonlyArray<PropertyKey>, raw: unknown): string {
  let out = '';
  let node: unknown = raw;
  for (const key of path) {
    node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number') {
      out += `[${key}]`;
      const id = node !== null && typeof node === 'object' ? (node as { id?: unknown }).id : undefined;
      if (typeof id === 'string') out += ` "${id}" →`;
    } else {
      out += `${keySeparator(out)}${String(key)}`;
    }
  }
  return out === '' ? '(top level)' : out.replace(/ →$/, '');
}

function keySeparator(pathSoFar: string): string {
  if (pathSoFar === '') return '';
  return pathSoFar.endsWith('→') ? ' ' : '.';
}
