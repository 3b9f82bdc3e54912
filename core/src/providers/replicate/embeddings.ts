import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Prediction } from 'replicate';
import { settleLedgerEntry } from '../../db/ledger.js';
import { findPredictionByStepKey, insertPredictionIntent, updatePrediction } from '../../db/predictions.js';
import type { PredictionRow } from '../../db/schema.js';
import type { EmbeddingProvider, EmbedOptions } from '../../embeddings/types.js';
import { normalize } from '../../embeddings/types.js';
import { PermanentError, ProviderError } from '../../errors.js';
import { reserveGeneration } from '../../ledger/generation.js';
import type { ModelSpec } from '../../models/types.js';
import { contentTypeForKey } from '../../storage/content-type.js';
import { ensureCreated } from './create.js';
import type { Engine } from './engine.js';
import { errorFromFailedPrediction, PROVIDER, throwIfAborted } from './errors.js';
import { predictionInputHash } from './input-hash.js';
import { waitForPrediction } from './wait.js';

type ClipOutput = Array<{ input?: unknown; embedding?: unknown }>;

/**
 * Embeddings from a Replicate embedding model of the registry (CLIP `andreasjansson/clip-features`):
 * one prediction per call whose `inputs` is the newline-separated list of texts and image URLs
 * (images go through the files API: the model fetches only http(s) URIs). The call is recorded like
 * every paid call: a prediction row under `callKey` before the create (a re-run of a succeeded call
 * reads the vectors back from the row instead of paying again) and a ledger entry (no budget check:
 * an embedding costs a fraction of a cent and must not block an upload). Vectors come back unit length.
 */
export function createReplicateEmbeddingProvider(engine: Engine, model: ModelSpec): EmbeddingProvider {
  const dimensions = model.dimensions ?? 0;
  const name = model.replicateId.split(':')[0] ?? model.replicateId;
  return {
    name: 'replicate',
    model: name,
    dimensions,
    hasTextSpace: model.embedsText === true,
    async embedImages(paths, options) {
      return embed(engine, model, options, async (signal) => {
        const urls: string[] = [];
        for (const path of paths) {
          const bytes = await readFile(path, { signal });
          const file = new File([bytes], basename(path), { type: contentTypeForKey(path) });
          urls.push((await engine.api.upload(file, signal)).urls.get);
        }
        return urls;
      });
    },
    async embedText(texts, options) {
      if (model.embedsText !== true) return undefined;
      return embed(engine, model, options, async () => texts.map(asTextLine));
    },
  };
}

/** A text as one input line the model reads as text: no line breaks, never taken for a URL. */
function asTextLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return /^https?:/i.test(line) ? `text ${line}` : line;
}

async function embed(
  engine: Engine,
  model: ModelSpec,
  options: EmbedOptions,
  lines: (signal: AbortSignal) => Promise<string[]>,
): Promise<number[][]> {
  const signal = options.signal ?? new AbortController().signal;
  const { db } = engine.settings;
  const done = await findPredictionByStepKey(db, options.callKey);
  if (done?.status === 'succeeded' && done.model === model.replicateId) {
    const stored = vectorsOf(done.output, model);
    if (stored) return stored;
  }
  throwIfAborted(signal);
  const inputs = await lines(signal);
  const input = { ...model.fixedInputs, [model.params.inputs ?? 'inputs']: inputs.join('\n') };
  const ledger = await reserveGeneration(
    {
      db,
      userId: options.userId,
      videoId: null,
      stepKey: options.callKey,
      provider: 'replicate',
      dailyBudgetUsd: undefined,
    },
    { kind: 'embedding', model },
  );
  const row = await insertPredictionIntent(db, {
    provider: PROVIDER,
    model: model.replicateId,
    step_key: options.callKey,
    video_id: null,
    input_hash: predictionInputHash(model.replicateId, input),
    input: input as PredictionRow['input'],
  });
  let prediction: Prediction = await ensureCreated(engine, row, model, false, signal);
  prediction = await waitForPrediction(engine, row, model, prediction, signal);
  if (prediction.status !== 'succeeded') {
    const error =
      prediction.status === 'failed'
        ? errorFromFailedPrediction(
            model.key,
            prediction.id,
            typeof prediction.error === 'string' ? prediction.error : null,
          )
        : new PermanentError(`Prediction ${prediction.id} of '${model.key}' ended ${prediction.status}.`);
    await updatePrediction(db, row.id, { status: prediction.status, error_message: error.message });
    throw error;
  }
  const vectors = vectorsOf(prediction.output, model);
  if (!vectors || vectors.length !== inputs.length) {
    throw new ProviderError(PROVIDER, `Prediction ${prediction.id} of '${model.key}' returned no usable embeddings.`, {
      requestId: prediction.id,
      retryable: false,
    });
  }
  await updatePrediction(db, row.id, {
    status: 'succeeded',
    output: prediction.output as PredictionRow['output'],
    predict_time_s: prediction.metrics?.predict_time ?? null,
    cost_usd: model.cost.usd,
    error_message: null,
  });
  await settleLedgerEntry(db, ledger.id, { actualUsd: model.cost.usd, wouldCostUsd: model.cost.usd, quantity: 1 });
  return vectors;
}

/** The vectors of a clip-features output (`[{ input, embedding }]`), unit length; undefined when malformed. */
function vectorsOf(output: unknown, model: ModelSpec): number[][] | undefined {
  if (!Array.isArray(output)) return undefined;
  const vectors = (output as ClipOutput).map((item) => item?.embedding);
  const ok = vectors.every(
    (v): v is number[] =>
      Array.isArray(v) && v.length === model.dimensions && v.every((x) => typeof x === 'number' && Number.isFinite(x)),
  );
  return ok ? (vectors as number[][]).map(normalize) : undefined;
}
