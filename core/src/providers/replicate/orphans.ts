import type { Prediction } from 'replicate';
import { findPredictionByExternalId } from '../../db/predictions.js';
import type { PredictionRow } from '../../db/schema.js';
import type { Engine } from './engine.js';
import { PROVIDER } from './errors.js';
import { predictionInputHash } from './input-hash.js';
import { CORRELATION_PARAM } from './webhook-handler.js';

/** How much earlier than our intent row (by our clock) a prediction may look created (Replicate's clock). */
const CLOCK_SLACK_MS = 5 * 60_000;
/** Pages of `GET /v1/predictions` read at most (100 predictions each). */
const MAX_PAGES = 10;

/**
 * The prediction a create for `row` made although its answer never arrived, else undefined. Looked
 * for in the webhook hub (deliveries carry the row id as `?prediction=`), then in Replicate's list
 * of predictions, newest first, down to the intent's creation time (minus 5 min of clock slack): a
 * prediction of the same model whose webhook URL names the row, or whose input hashes to the row's
 * input hash, and which no other row has claimed.
 */
export async function findOrphan(
  engine: Engine,
  row: PredictionRow,
  signal: AbortSignal,
): Promise<Prediction | undefined> {
  const delivered = engine.hub.byCorrelation(row.id);
  if (delivered && (await isUnclaimed(engine, delivered, row))) return delivered;
  const since = new Date(row.created_at).getTime() - CLOCK_SLACK_MS;
  let next: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const listed = await engine.api.listPage(next, signal);
    for (const prediction of listed.results) {
      if (Date.parse(prediction.created_at) < since) return undefined;
      if (!sameModel(prediction, row.model)) continue;
      if (!(await belongsTo(engine, prediction, row, signal))) continue;
      if (await isUnclaimed(engine, prediction, row)) return prediction;
    }
    if (!listed.next) return undefined;
    next = listed.next;
  }
  return undefined;
}

function sameModel(prediction: Prediction, replicateId: string): boolean {
  const [name, version] = replicateId.split(':');
  return prediction.model === name && (version === undefined || prediction.version === version);
}

async function belongsTo(
  engine: Engine,
  prediction: Prediction,
  row: PredictionRow,
  signal: AbortSignal,
): Promise<boolean> {
  if (correlationOf(prediction.webhook) === row.id) return true;
  const input = prediction.input ?? (await engine.api.get(prediction.id, signal)).input;
  if (!input || typeof input !== 'object') return false;
  return predictionInputHash(row.model, input as Record<string, unknown>) === row.input_hash;
}

async function isUnclaimed(engine: Engine, prediction: Prediction, row: PredictionRow): Promise<boolean> {
  const owner = await findPredictionByExternalId(engine.settings.db, PROVIDER, prediction.id);
  return owner === undefined || owner.id === row.id;
}

/** The row id carried by a webhook URL, if any. */
export function correlationOf(webhook: string | undefined): string | undefined {
  if (!webhook) return undefined;
  try {
    return new URL(webhook).searchParams.get(CORRELATION_PARAM) ?? undefined;
  } catch {
    return undefined;
  }
}

/** `url` with `?prediction=<rowId>` added: how a webhook (and a listed prediction) names its row. */
export function correlatedWebhookUrl(url: string, rowId: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set(CORRELATION_PARAM, rowId);
  return parsed.toString();
}
