import { type AssetView, toAssetView } from '../assets/asset-view.js';
import { findAssetForUser, findAssetsWithEmbedding } from '../db/assets.js';
import { findStep } from '../db/steps.js';
import { updateVideo } from '../db/videos.js';
import { errorFromStored, UserError } from '../errors.js';
import { characterReferencesStep } from '../jobs/steps/character-references.js';
import { assertWithinBudget, withUserLock } from '../ledger/budget.js';
import { estimateCallCost } from '../models/estimate.js';
import { stepKey } from '../pipeline/context.js';
import { checkCharacterDescription } from '../plan/index.js';
import type { ServiceContext } from './service-context.js';
import type { Owner, VideoView } from './types.js';

/**
 * 1–4 candidate pictures of one character from one description, made by a `character_references`
 * work on the runner (a worker when the queue is on) and awaited here; each is stored as a
 * `character_reference` asset for `pickCharacterReference`. A budget that cannot cover the estimate
 * is refused before anything is submitted.
 */
export async function createCharacterReferences(
  ctx: ServiceContext,
  owner: Owner,
  req: { description: string; count: number },
): Promise<AssetView[]> {
  const description = checkCharacterDescription(req.description);
  if (!description)
    throw new UserError(
      'empty_description',
      'Describe the character (for example "a red-haired violinist in a silver coat").',
    );
  if (!Number.isInteger(req.count) || req.count < 1 || req.count > 4) {
    throw new UserError('invalid_count', `Ask for 1 to 4 character references; got ${String(req.count)}.`);
  }
  const { db, registry, providers, runner } = ctx.deps;
  const userId = await ctx.userIdOf(owner);
  if (providers.name !== 'animatic') {
    const estimate = estimateCallCost(registry.defaultFor('image'), { images: req.count, runs: 1 });
    await withUserLock(db, userId, (trx) => assertWithinBudget(trx, userId, estimate, ctx.deps.dailyBudgetUsd));
  }
  const work = await runner.submit({ kind: 'character_references', userId, description, count: req.count });
  const ended = await runner.workSettled(work.id);
  if (ended.status !== 'succeeded') {
    throw errorFromStored({
      code: ended.error_code,
      message: ended.error_message ?? 'Making character references failed.',
    });
  }
  const step = await findStep(db, stepKey(work.id, 'character_references'));
  const { assetIds } = characterReferencesStep.output.parse(step?.output);
  const rows = await findAssetsWithEmbedding(db, userId, assetIds, ctx.embeddings.model);
  return rows.map((row) => toAssetView(row, row.embedded));
}

/** Makes one of the owner's character references condition the video's storyboard (before it is drawn). */
export async function pickCharacterReference(
  ctx: ServiceContext,
  owner: Owner,
  videoId: string,
  assetId: string,
): Promise<VideoView> {
  const video = await ctx.ownedVideo(owner, videoId);
  const asset = await findAssetForUser(ctx.deps.db, video.user_id, assetId);
  if (asset?.kind !== 'character_reference') {
    throw new UserError('not_found', `No character reference ${assetId} found for you.`);
  }
  if (!['awaiting_approval', 'queued', 'planning'].includes(video.status)) {
    throw new UserError(
      'too_late',
      `Video ${video.id} is already ${video.status}; pick the character before its storyboard is drawn (create it with the reference, or with an approval threshold).`,
    );
  }
  const updated = await updateVideo(ctx.deps.db, video.id, {
    options: { ...video.options, characterReferenceKey: asset.storage_key, characterReferenceAssetId: asset.id },
  });
  return ctx.view(updated ?? video);
}
