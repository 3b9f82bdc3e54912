import { assertUuid, isUuid } from './ids.js';
import type { NewPrediction, PredictionRow, PredictionStatus, PredictionUpdate } from './schema.js';
import { type Db, jsonb } from './sql-helpers.js';

/** What a step records before it asks a provider for a prediction. */
export type PredictionIntentParams = Pick<NewPrediction, 'provider' | 'model' | 'step_key' | 'input_hash' | 'input'> & {
  video_id?: string | null;
};

/**
 * Records that a step is about to create a prediction (status `intent`), before any request is
 * sent: a restarted step finds it by step key and resumes instead of paying twice.
 */
export async function insertPredictionIntent(db: Db, intent: PredictionIntentParams): Promise<PredictionRow> {
  if (intent.video_id != null) assertUuid(intent.video_id, 'video');
  return db
    .insertInto('predictions')
    .values({ ...intent, status: 'intent', input: jsonb(intent.input) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The prediction with this id. */
export async function findPredictionById(db: Db, id: string): Promise<PredictionRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db.selectFrom('predictions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The newest prediction recorded for a step (a retried step may have several). */
export async function findPredictionByStepKey(db: Db, stepKey: string): Promise<PredictionRow | undefined> {
  return db
    .selectFrom('predictions')
    .selectAll()
    .where('step_key', '=', stepKey)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Every prediction made with the same input (for reuse of a paid result), newest first. */
export async function findPredictionsByInputHash(db: Db, inputHash: string): Promise<PredictionRow[]> {
  return db
    .selectFrom('predictions')
    .selectAll()
    .where('input_hash', '=', inputHash)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** The prediction a provider knows by `externalId` (webhooks arrive with it). */
export async function findPredictionByExternalId(
  db: Db,
  provider: string,
  externalId: string,
): Promise<PredictionRow | undefined> {
  return db
    .selectFrom('predictions')
    .selectAll()
    .where('provider', '=', provider)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

/**
 * Stores the provider's id once the create call answered. Unique per provider: attaching an id
 * already held by another prediction fails with a unique violation.
 */
export async function attachExternalId(
  db: Db,
  id: string,
  externalId: string,
  status: PredictionStatus = 'starting',
): Promise<PredictionRow | undefined> {
  return updatePrediction(db, id, { external_id: externalId, status });
}

/** Applies `patch` (status, output, cost…); undefined when there is no such prediction. */
export async function updatePrediction(
  db: Db,
  id: string,
  patch: PredictionUpdate,
): Promise<PredictionRow | undefined> {
  assertUuid(id, 'prediction');
  if (Object.keys(patch).length === 0) return findPredictionById(db, id);
  return db
    .updateTable('predictions')
    .set({ ...patch, input: jsonb(patch.input), output: jsonb(patch.output) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** The video's predictions that may still be running at the provider (created, not finished). */
export async function listOpenPredictionsForVideo(db: Db, videoId: string): Promise<PredictionRow[]> {
  if (!isUuid(videoId)) return [];
  return db
    .selectFrom('predictions')
    .selectAll()
    .where('video_id', '=', videoId)
    .where('status', 'in', ['starting', 'processing'])
    .where('external_id', 'is not', null)
    .execute();
}

/** The step each of these predictions was made for (ids that are not predictions are left out). */
export async function findPredictionStepKeys(
  db: Db,
  ids: readonly string[],
): Promise<Array<{ id: string; step_key: string }>> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return [];
  return db.selectFrom('predictions').select(['id', 'step_key']).where('id', 'in', valid).execute();
}
