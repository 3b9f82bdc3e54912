import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { type AssetView, toAssetView } from '../assets/add-asset.js';
import { stripImageMetadata } from '../assets/strip-metadata.js';
import { validateImage } from '../assets/validate-image.js';
import { findAssetForUser, insertAsset } from '../db/assets.js';
import { insertLedgerEntry, recordLedgerActual } from '../db/ledger.js';
import { updateVideo } from '../db/videos.js';
import { UserError } from '../errors.js';
import { getFlavor } from '../flavors/catalog.js';
import { estimateCallCost } from '../models/estimate.js';
import { assertWithinBudget, withUserLock } from '../pipeline/budget.js';
import { characterReferencePrompt, checkCharacterDescription } from '../plan/index.js';
import type { GeneratedFile } from '../providers/types.js';
import { assetKey } from '../storage/keys.js';
import type { ServiceContext } from './service-context.js';
import type { Owner, VideoView } from './types.js';

const REFERENCE_SIZE = { width: 768, height: 1024 };

/**
 * 1–4 candidate pictures of one character from one description (one call when the image model
 * returns several outputs, else parallel calls), budget-checked and recorded in the ledger, each
 * stored as a `character_reference` asset for `pickCharacterReference`.
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
  const { db, registry, providers } = ctx.deps;
  const userId = await ctx.userIdOf(owner);
  const model = registry.defaultFor('image');
  const estimate = estimateCallCost(model, { images: req.count, runs: 1 });
  const paid = providers.name !== 'animatic';
  const stepKey = `character_refs.${randomUUID()}`;
  const ledger = await withUserLock(db, userId, async (trx) => {
    if (paid) await assertWithinBudget(trx, userId, estimate, ctx.deps.dailyBudgetUsd);
    return insertLedgerEntry(trx, {
      user_id: userId,
      step_key: stepKey,
      provider: providers.name,
      model_key: model.key,
      kind: 'image',
      unit: 'run',
      quantity: req.count,
      estimated_usd: paid ? estimate : 0,
      would_cost_usd: estimate,
    });
  });
  const workDir = await mkdtemp(join(tmpdir(), 'reelsmith-charref-'));
  try {
    const prompt = characterReferencePrompt(description, getFlavor());
    const perCall = Math.max(1, Math.min(model.maxOutputs ?? 1, req.count));
    const calls = Math.ceil(req.count / perCall);
    const batches = await Promise.all(
      Array.from({ length: calls }, async (_, i) => {
        const dir = await mkdtemp(join(workDir, `call-${i}-`));
        const count = Math.min(perCall, req.count - i * perCall);
        return providers.image.generateImages(
          { model, prompt, count, ...REFERENCE_SIZE, title: 'Character reference' },
          { signal: AbortSignal.timeout(10 * 60_000), stepKey: `${stepKey}.${i}`, workDir: dir, userId },
        );
      }),
    );
    const files: GeneratedFile[] = batches.flat().slice(0, req.count);
    await recordLedgerActual(
      db,
      ledger.id,
      files.reduce((sum, file) => sum + file.costUsd, 0),
    );
    return await Promise.all(files.map((file, i) => storeReference(ctx, userId, file, i, description)));
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function storeReference(
  ctx: ServiceContext,
  userId: string,
  file: GeneratedFile,
  index: number,
  description: string,
) {
  const raw = await readFile(file.path);
  const facts = validateImage(raw, basename(file.path));
  const bytes = await stripImageMetadata(raw, facts.type);
  const id = randomUUID();
  const filename = `character_${index + 1}.${facts.type === 'jpeg' ? 'jpg' : facts.type}`;
  const key = assetKey(userId, id, filename);
  await ctx.deps.storage.put(key, { buffer: bytes }, { contentType: facts.mimeType });
  const row = await insertAsset(ctx.deps.db, {
    id,
    user_id: userId,
    kind: 'character_reference',
    filename,
    mime_type: facts.mimeType,
    size_bytes: bytes.byteLength,
    width: facts.width,
    height: facts.height,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    storage_key: key,
    metadata: { description, provider: file.provider, model: file.model },
  });
  return toAssetView(row);
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
