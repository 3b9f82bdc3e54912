import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { UserError } from '../../errors.js';
import type { ModelInputParams } from '../../models/input.js';
import type { ModelSpec } from '../../models/types.js';
import { contentTypeForKey } from '../../storage/content-type.js';
import type { ReplicateApi } from './api.js';

/** Files up to this size (bytes) are sent inline as data URIs; larger ones go through the files API. */
export const DATA_URI_LIMIT_BYTES = 256 * 1024;

const FILE_PARAMS = ['firstFrame', 'lastFrame', 'reference', 'video', 'audio'] as const;

/**
 * `params` with every local file path the model has an input for replaced by something Replicate
 * can fetch: a data URI for files ≤ 256 KB, else the `urls.get` of an upload through the files API.
 * Values that already are http(s) or data URIs pass through; inputs the model lacks are left for
 * `buildModelInput` to drop (nothing is uploaded for them).
 * @throws UserError `media_not_found` when a local file does not exist.
 */
export async function resolveFileInputs(
  api: ReplicateApi,
  model: ModelSpec,
  params: ModelInputParams,
  signal: AbortSignal,
): Promise<ModelInputParams> {
  const resolved: ModelInputParams = { ...params };
  for (const name of FILE_PARAMS) {
    const value = params[name];
    if (!value || model.params[name] === undefined || /^(https?:|data:)/i.test(value)) continue;
    resolved[name] = await fileUri(api, value, signal);
  }
  return resolved;
}

async function fileUri(api: ReplicateApi, path: string, signal: AbortSignal): Promise<string> {
  const info = await stat(path).catch((error: unknown) => {
    throw new UserError('media_not_found', `The input file ${path} does not exist.`, {
      cause: error,
      details: { path },
    });
  });
  const type = contentTypeForKey(path);
  const bytes = await readFile(path, { signal });
  if (info.size <= DATA_URI_LIMIT_BYTES) return `data:${type};base64,${bytes.toString('base64')}`;
  const uploaded = await api.upload(new File([bytes], basename(path), { type }), signal);
  return uploaded.urls.get;
}
