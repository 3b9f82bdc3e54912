import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Prediction } from 'replicate';
import { updatePrediction } from '../../db/predictions.js';
import type { PredictionRow } from '../../db/schema.js';
import { ProviderError } from '../../errors.js';
import { probe, probeAudio } from '../../media/probe.js';
import type { ModelSpec } from '../../models/types.js';
import { assetKey, predictionOutputKey } from '../../storage/keys.js';
import type { GeneratedFile, ProviderCallContext } from '../types.js';
import { outputCostsUsd } from './cost.js';
import { downloadOutput } from './download.js';
import type { Engine } from './engine.js';
import { PROVIDER } from './errors.js';

/** Whose storage a call's outputs go to. */
export interface OutputOwner {
  userId: string;
  /** Absent for calls outside a video (character references): outputs go under the user's assets. */
  videoId: string | undefined;
}

/** What `predictions.output` holds once a prediction's outputs are stored: Replicate's URLs and our keys. */
export interface StoredOutputRecord {
  urls: string[];
  keys: string[];
}

const DEFAULT_EXT = { video: 'mp4', lipsync: 'mp4', image: 'png', music: 'mp3', embedding: 'json' } as const;

/**
 * Downloads every output of a succeeded `prediction` into `ctx.workDir`, copies each into storage
 * at `predictionOutputKey`, measures it, prices it, and records on `row` (status `succeeded`,
 * `output` = { urls, keys }, `output_key` = the first key, `predict_time_s`, `cost_usd`) before
 * returning the files: once this resolves nothing depends on Replicate keeping the output.
 */
export async function storeOutputs(
  engine: Engine,
  row: PredictionRow,
  model: ModelSpec,
  prediction: Prediction,
  ctx: ProviderCallContext,
  owner: OutputOwner,
): Promise<GeneratedFile[]> {
  const urls = outputUrls(prediction.output);
  if (urls.length === 0) {
    throw new ProviderError(PROVIDER, `Prediction ${prediction.id} of '${model.key}' succeeded without an output.`, {
      requestId: prediction.id,
      retryable: true,
    });
  }
  await mkdir(ctx.workDir, { recursive: true });
  const keys: string[] = [];
  const paths: string[] = [];
  for (const [index, url] of urls.entries()) {
    const ext = extensionOf(url, model);
    const path = join(ctx.workDir, `${row.id}_${index}.${ext}`);
    await downloadOutput(engine, url, path, ctx.signal);
    const key = owner.videoId
      ? predictionOutputKey(owner.userId, owner.videoId, row.id, index, ext)
      : assetKey(owner.userId, row.id, `output_${index}.${ext}`);
    await engine.settings.storage.put(key, { file: path });
    keys.push(key);
    paths.push(path);
  }
  const files = await describe(model, row, paths, ctx.signal);
  const costUsd = files.reduce((sum, file) => sum + file.costUsd, 0);
  const output: StoredOutputRecord = { urls, keys };
  await updatePrediction(engine.settings.db, row.id, {
    status: 'succeeded',
    output,
    output_key: keys[0] ?? null,
    predict_time_s: prediction.metrics?.predict_time ?? null,
    cost_usd: Math.round(costUsd * 1e6) / 1e6,
    error_message: null,
  });
  return files;
}

/**
 * The outputs of a succeeded `row` read back from storage into `ctx.workDir` (Replicate is not
 * asked), or undefined when the row has no stored copy or a copy is missing from storage.
 */
export async function readStoredOutputs(
  engine: Engine,
  row: PredictionRow,
  model: ModelSpec,
  ctx: ProviderCallContext,
): Promise<GeneratedFile[] | undefined> {
  const keys = storedKeys(row);
  if (keys.length === 0) return undefined;
  const { storage } = engine.settings;
  for (const key of keys) if (!(await storage.exists(key))) return undefined;
  await mkdir(ctx.workDir, { recursive: true });
  const paths: string[] = [];
  for (const key of keys) {
    const path = join(ctx.workDir, key.slice(key.lastIndexOf('/') + 1));
    await storage.get(key, { file: path });
    paths.push(path);
  }
  return describe(model, row, paths, ctx.signal);
}

/** The storage keys recorded on `row` (all outputs), oldest format (only `output_key`) included. */
export function storedKeys(row: PredictionRow): string[] {
  const output = row.output as Partial<StoredOutputRecord> | null;
  if (output && Array.isArray(output.keys) && output.keys.length > 0) return output.keys.map(String);
  return row.output_key ? [row.output_key] : [];
}

/** A prediction's output as a list of URLs (one URL, an array of them, or nothing). */
export function outputUrls(output: unknown): string[] {
  const values = Array.isArray(output) ? output : output == null ? [] : [output];
  return values.filter((value): value is string => typeof value === 'string' && value.length > 0);
}

async function describe(model: ModelSpec, row: PredictionRow, paths: string[], signal: AbortSignal) {
  const durations = await Promise.all(paths.map((path) => measure(model, path, signal)));
  const costs = outputCostsUsd(
    model,
    durations.map((durationS) => ({ durationS })),
  );
  return paths.map(
    (path, index): GeneratedFile => ({
      path,
      provider: 'replicate',
      model: model.key,
      predictionId: row.id,
      costUsd: costs[index] ?? 0,
      ...(durations[index] === undefined ? {} : { durationS: durations[index] }),
    }),
  );
}

async function measure(model: ModelSpec, path: string, signal: AbortSignal): Promise<number | undefined> {
  if (model.kind === 'image') return undefined;
  if (model.kind === 'music') return (await probeAudio(path, { signal })).durationS;
  return (await probe(path, { signal })).durationS;
}

function extensionOf(url: string, model: ModelSpec): string {
  let pathname = '';
  try {
    pathname = new URL(url).pathname;
  } catch {}
  const match = /\.([a-z0-9]{1,5})$/i.exec(pathname);
  return match?.[1]?.toLowerCase() ?? DEFAULT_EXT[model.kind];
}
