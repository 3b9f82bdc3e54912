import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PermanentError, UserError } from '../errors.js';
import type { Logger } from '../log.js';
import { deepFreeze } from './deep-freeze.js';
import {
  FLAVOR_FILES,
  FLAVOR_META_FILE,
  FlavorMetaSchema,
  type FlavorParameters,
  type FlavorPart,
  type FlavorPrompts,
} from './schema.js';
import { type FileLocation, locationPath, readYamlFile } from './yaml-file.js';

/** The flavor that always exists and supplies every file another flavor lacks. */
export const DEFAULT_FLAVOR = 'default';
/** Flavor names: lowercase letters, digits and hyphens (so a name can never leave the flavors folder). */
export const FLAVOR_NAME_PATTERN = /^[a-z0-9-]{1,64}$/;

const DEFAULT_ROOT = new URL('../../flavors/', import.meta.url);
const PARTS = Object.keys(FLAVOR_FILES) as FlavorPart[];

/** What `listFlavors` says about one flavor. `files` are the files it holds itself. */
export interface FlavorInfo {
  name: string;
  description: string;
  files: string[];
}

/** A resolved flavor: every part present, each from the flavor itself or from `default`. */
export interface Flavor {
  /** The flavor in use (`default` after a fallback). */
  name: string;
  description: string;
  prompts: FlavorPrompts;
  parameters: FlavorParameters;
  /** Which flavor supplied each part. */
  sources: Readonly<Record<FlavorPart, string>>;
  /** The unknown name that was asked for, when this is `default` standing in for it. */
  fellBackFrom?: string;
}

/** The flavors of one root folder, read and validated once. */
export interface FlavorCatalog {
  readonly root: string;
  list(): FlavorInfo[];
  /** See `getFlavor`. */
  get(name?: string, options?: { log?: Logger | undefined }): Flavor;
}

export interface DiscoverFlavorsOptions {
  /** The folder holding one sub-folder per flavor; default `core/flavors/`. */
  root?: FileLocation | undefined;
  log?: Logger | undefined;
}

interface FlavorFolder {
  info: FlavorInfo;
  parts: Partial<{ prompts: FlavorPrompts; parameters: FlavorParameters }>;
}

const catalogs = new Map<string, FlavorCatalog>();

/**
 * Reads every flavor folder under the root and validates each of its files, once per root
 * (memoised). Call at startup so a broken flavor stops the process with a message naming the
 * file and field. Folders whose names are not valid flavor names are skipped with a warning.
 * @throws PermanentError when `default` is missing or incomplete, or a file is unknown or invalid.
 */
export function discoverFlavors(options: DiscoverFlavorsOptions = {}): FlavorCatalog {
  const root = path.resolve(locationPath(options.root ?? DEFAULT_ROOT));
  const known = catalogs.get(root);
  if (known) return known;
  const folders = readFlavorFolders(root, options.log);
  const catalog = createCatalog(root, folders);
  catalogs.set(root, catalog);
  options.log?.info({ flavors: [...folders.keys()], root }, 'flavors discovered');
  return catalog;
}

/** Every flavor with its description and own files, `default` first. */
export function listFlavors(options: { root?: FileLocation | undefined } = {}): FlavorInfo[] {
  return discoverFlavors(options).list();
}

/**
 * The flavor called `name` (trimmed, lower-cased; absent or empty means `default`). A missing
 * file is taken whole from `default`. An unknown name gives `default` with `fellBackFrom` set
 * and a warning logged.
 * @throws UserError `invalid_flavor` when the name is not `[a-z0-9-]+` (listing the valid names).
 */
export function getFlavor(
  name?: string,
  options: { log?: Logger | undefined; root?: FileLocation | undefined } = {},
): Flavor {
  return discoverFlavors({ root: options.root }).get(name, { log: options.log });
}

function createCatalog(root: string, folders: ReadonlyMap<string, FlavorFolder>): FlavorCatalog {
  const resolved = new Map<string, Flavor>();
  const names = [...folders.keys()];
  const resolve = (name: string): Flavor => {
    const cached = resolved.get(name);
    if (cached) return cached;
    const flavor = deepFreeze(mergeWithDefault(folders, name));
    resolved.set(name, flavor);
    return flavor;
  };
  return {
    root,
    list: () => names.map((name) => structuredClone((folders.get(name) as FlavorFolder).info)),
    get(requested, { log } = {}) {
      const name = normaliseName(requested, names);
      if (folders.has(name)) return resolve(name);
      log?.warn(
        { flavor: name, fallback: DEFAULT_FLAVOR, available: names },
        `Unknown flavor "${name}"; using default`,
      );
      return Object.freeze({ ...resolve(DEFAULT_FLAVOR), fellBackFrom: name });
    },
  };
}

function normaliseName(requested: unknown, available: readonly string[]): string {
  if (requested === undefined || requested === null) return DEFAULT_FLAVOR;
  const name = typeof requested === 'string' ? requested.trim().toLowerCase() : undefined;
  if (name === '') return DEFAULT_FLAVOR;
  if (name === undefined || !FLAVOR_NAME_PATTERN.test(name)) {
    throw new UserError(
      'invalid_flavor',
      `Flavor names use lowercase letters, digits and hyphens; got ${JSON.stringify(requested)}. ` +
        `Available flavors: ${available.join(', ')}`,
      { details: { available: [...available] } },
    );
  }
  return name;
}

function mergeWithDefault(folders: ReadonlyMap<string, FlavorFolder>, name: string): Flavor {
  const own = folders.get(name) as FlavorFolder;
  const fallback = folders.get(DEFAULT_FLAVOR) as FlavorFolder;
  const pick = (part: FlavorPart) => (own.parts[part] ? name : DEFAULT_FLAVOR);
  const sources = { prompts: pick('prompts'), parameters: pick('parameters') };
  return {
    name,
    description: own.info.description,
    prompts: structuredClone(own.parts.prompts ?? (fallback.parts.prompts as FlavorPrompts)),
    parameters: structuredClone(own.parts.parameters ?? (fallback.parts.parameters as FlavorParameters)),
    sources,
  };
}

function readFlavorFolders(root: string, log: Logger | undefined): Map<string, FlavorFolder> {
  if (!existsSync(root)) throw new PermanentError(`Flavors folder ${root} does not exist`);
  const folders = new Map<string, FlavorFolder>();
  const entries = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => (a === DEFAULT_FLAVOR ? -1 : b === DEFAULT_FLAVOR ? 1 : a.localeCompare(b)));
  for (const name of entries) {
    if (!FLAVOR_NAME_PATTERN.test(name)) {
      log?.warn({ folder: name, root }, 'Skipping flavor folder: names use lowercase letters, digits and hyphens');
      continue;
    }
    folders.set(name, readFlavorFolder(path.join(root, name), name));
  }
  const fallback = folders.get(DEFAULT_FLAVOR);
  const missing = PARTS.filter((part) => !fallback?.parts[part]).map((part) => FLAVOR_FILES[part].file);
  if (missing.length > 0) {
    throw new PermanentError(`The "${DEFAULT_FLAVOR}" flavor in ${root} must hold ${missing.join(' and ')}`);
  }
  return folders;
}

function readFlavorFolder(dir: string, name: string): FlavorFolder {
  const files = readdirSync(dir).filter((file) => /\.ya?ml$/.test(file));
  const knownFiles = [FLAVOR_META_FILE, ...PARTS.map((part) => FLAVOR_FILES[part].file)];
  const unknown = files.filter((file) => !knownFiles.includes(file));
  if (unknown.length > 0) {
    throw new PermanentError(
      `Unknown file ${unknown.map((f) => path.join(dir, f)).join(', ')} in flavor "${name}"; a flavor holds ${knownFiles.join(', ')}`,
    );
  }
  const parts: FlavorFolder['parts'] = {};
  for (const part of PARTS) {
    const { file, schema } = FLAVOR_FILES[part];
    if (files.includes(file)) Object.assign(parts, { [part]: readYamlFile(path.join(dir, file), schema) });
  }
  const description = files.includes(FLAVOR_META_FILE)
    ? readYamlFile(path.join(dir, FLAVOR_META_FILE), FlavorMetaSchema).description
    : `The ${name} flavor`;
  return { info: { name, description, files: files.sort() }, parts };
}
