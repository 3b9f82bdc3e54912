import { createHash } from 'node:crypto';
import type { ModelSpec } from '../../models/types.js';

/** One model the fake serves: its registry facts, its `owner/name` and its version hash. */
export interface FakeModel {
  spec: ModelSpec;
  name: string;
  version: string;
  /** True for `owner/name:version` registry ids (created through `POST /v1/predictions` with a version). */
  versioned: boolean;
}

/** Looks models up the two ways a create names them. */
export interface ModelTable {
  byName(name: string): FakeModel | undefined;
  /** `version` may be a bare hash or `owner/name:hash`. */
  byVersion(version: string): FakeModel | undefined;
}

/**
 * Indexes specs by `owner/name` and by version. Official models (no `:hash` in `replicateId`) get a
 * stable made-up version (sha256 of the name), as Replicate reports one for them too.
 */
export function createModelTable(specs: readonly ModelSpec[]): ModelTable {
  const names = new Map<string, FakeModel>();
  const versions = new Map<string, FakeModel>();
  for (const spec of specs) {
    const [name = spec.replicateId, hash] = spec.replicateId.split(':');
    const version = hash ?? createHash('sha256').update(name).digest('hex');
    const model: FakeModel = { spec, name, version, versioned: hash !== undefined };
    if (!names.has(name)) names.set(name, model);
    versions.set(version, model);
  }
  return {
    byName: (name) => names.get(name),
    byVersion: (version) => versions.get(version.includes(':') ? (version.split(':')[1] ?? '') : version),
  };
}
