import { createHash, randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import { scratchFile, storeEmbedding, storeThumbnail } from '../../assets/library-files.js';
import { stripImageMetadata } from '../../assets/strip-metadata.js';
import { validateImage } from '../../assets/validate-image.js';
import { insertAsset, listAssetsForStep } from '../../db/assets.js';
import { createLocalEmbeddingProvider } from '../../embeddings/perceptual.js';
import { PermanentError } from '../../errors.js';
import { getFlavor } from '../../flavors/catalog.js';
import { reserveGeneration, settleGeneration } from '../../ledger/generation.js';
import { characterReferencePrompt } from '../../plan/index.js';
import type { GeneratedFile } from '../../providers/types.js';
import { assetKey } from '../../storage/keys.js';
import type { StepContext } from '../step.js';
import { defineStep, PROVIDER_RETRY } from '../step.js';

/** Portrait frame of a character reference, pixels. */
export const REFERENCE_SIZE = { width: 768, height: 1024 };

/** What a character-references work asks for (`works.params`). */
export const CharacterReferencesParams = z.object({
  description: z.string().min(1),
  count: z.number().int().min(1).max(4),
});

/**
 * 1–4 candidate pictures of one character from one description (one call when the image model
 * returns several outputs, else parallel calls under `{stepKey}.{i}`), budget-checked and recorded in
 * the ledger, each stored (metadata stripped) as a `character_reference` asset tagged with this
 * step's key, so a re-run returns the stored assets instead of paying again.
 */
export const characterReferencesStep = defineStep({
  name: 'character_references',
  input: z.object({ workId: z.uuid() }),
  output: z.object({ assetIds: z.array(z.uuid()) }),
  pool: 'provider',
  retry: PROVIDER_RETRY,
  async run(_input, ctx) {
    const { deps } = ctx;
    const params = CharacterReferencesParams.parse(ctx.work.params);
    const userId = ctx.work.user_id;
    const stored = await listAssetsForStep(deps.db, userId, ctx.stepKey);
    if (stored.length >= params.count) return { assetIds: stored.slice(0, params.count).map((asset) => asset.id) };
    const model = deps.registry.defaultFor('image');
    const payer = {
      db: deps.db,
      userId,
      videoId: null,
      stepKey: ctx.stepKey,
      provider: deps.providers.name,
      dailyBudgetUsd: deps.budget.dailyUsd,
    };
    const reservation = await reserveGeneration(payer, { kind: 'image', model, images: params.count });
    const workDir = await ctx.files.scratch('character-references');
    try {
      const prompt = characterReferencePrompt(params.description, getFlavor());
      const perCall = Math.max(1, Math.min(model.maxOutputs ?? 1, params.count));
      const calls = Math.ceil(params.count / perCall);
      const batches = await Promise.all(
        Array.from({ length: calls }, async (_, i) => {
          const dir = await ctx.files.scratch(`call-${i}`);
          const count = Math.min(perCall, params.count - i * perCall);
          return deps.providers.image.generateImages(
            { model, prompt, count, ...REFERENCE_SIZE, title: 'Character reference' },
            { signal: ctx.signal, stepKey: `${ctx.stepKey}.${i}`, workDir: dir, userId },
          );
        }),
      );
      const files: GeneratedFile[] = batches.flat().slice(0, params.count);
      if (files.length === 0) throw new PermanentError('The image model returned no character references');
      await settleGeneration(deps.db, reservation, files);
      const have = new Map(stored.map((asset) => [Number(asset.metadata.index), asset.id]));
      const ids = await Promise.all(
        files.map((file, i) => have.get(i) ?? storeReference(ctx, userId, file, i, params.description)),
      );
      return { assetIds: ids };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  },
});

async function storeReference(
  ctx: StepContext,
  userId: string,
  file: GeneratedFile,
  index: number,
  description: string,
): Promise<string> {
  const raw = await readFile(file.path);
  const facts = validateImage(raw, basename(file.path));
  const bytes = await stripImageMetadata(raw, facts.type);
  const id = randomUUID();
  const filename = `character_${index + 1}.${facts.type === 'jpeg' ? 'jpg' : facts.type}`;
  const key = assetKey(userId, id, filename);
  const { storage, db } = ctx.deps;
  const scratch = await scratchFile(bytes, filename);
  try {
    await storage.put(key, { buffer: bytes }, { contentType: facts.mimeType });
    const thumbnailKey = await storeThumbnail(storage, userId, id, scratch.path, ctx.signal);
    const row = await insertAsset(db, {
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
      metadata: { description, provider: file.provider, model: file.model, stepKey: ctx.stepKey, index },
      name: referenceName(description, index),
      caption: description,
      thumbnail_key: thumbnailKey,
    });
    const embeddings = ctx.deps.embeddings ?? createLocalEmbeddingProvider();
    await storeEmbedding({ db, storage, embeddings, log: ctx.deps.log }, row, scratch.path, ctx.signal);
  } finally {
    await scratch.done();
  }
  return id;
}

/** `{description} ({n})`, at most 100 characters: the candidates of one description tell apart. */
export function referenceName(description: string, index: number): string {
  const suffix = ` (${index + 1})`;
  const words = description.replace(/\s+/g, ' ').trim();
  const room = 100 - suffix.length;
  return `${words.length > room ? `${words.slice(0, room - 1).trimEnd()}…` : words}${suffix}`;
}
