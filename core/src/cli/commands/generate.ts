import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { UserError } from '../../errors.js';
import type { CreateVideoRequest } from '../../service/types.js';
import { numberOption, parseCommandArgs, requiredPositional, stringOption } from '../args.js';
import type { CliCommand, CliContext } from '../context.js';
import { pairImageIds, pairsFields } from './generate-pairs.js';
import { followAndPrint } from './wait.js';

const usage =
  'reelsmith generate <prompt> [--duration S] [--mode ad|music_video|image_pairs] [--image FILE] [--audio FILE] ' +
  '[--character TEXT] [--model KEY] [--flavor NAME] [--creativity X] [--preview] [--json]\n' +
  '  image pairs: --mode image_pairs --image A.png|ASSET_ID --image B.png [--image …] [--context TEXT] ' +
  '[--pairs N] [--clip-duration S]';

export const generateCommand: CliCommand = {
  name: 'generate',
  usage,
  summary: 'plan, storyboard, generate, stitch and score a video, and wait for it',
  async run(argv, ctx) {
    const parsed = parseCommandArgs(
      argv,
      {
        duration: { type: 'string', short: 'd' },
        mode: { type: 'string' },
        image: { type: 'string', multiple: true },
        context: { type: 'string' },
        pairs: { type: 'string' },
        'clip-duration': { type: 'string' },
        audio: { type: 'string' },
        character: { type: 'string' },
        model: { type: 'string' },
        flavor: { type: 'string' },
        creativity: { type: 'string' },
        preview: { type: 'boolean' },
      },
      usage,
    );
    const prompt = requiredPositional(parsed, 'the prompt', usage);
    const images = (parsed.values.image as unknown as string[] | undefined) ?? [];
    const values = { ...parsed.values, image: undefined };
    const request = buildRequest(prompt, values);
    if (request.mode === 'image_pairs') {
      Object.assign(request, pairsFields(values));
      const app = await ctx.open();
      request.imageAssetIds = images;
      await app.service.estimate(request);
      request.imageAssetIds = await pairImageIds(app.service, ctx.owner, images);
      return generate(ctx, request, {}, parsed.values.json === true);
    }
    if (images.length > 1)
      throw new UserError('invalid_arguments', `Only --mode image_pairs takes several --image. Usage: ${usage}`);
    const image = images[0];
    const audio = stringOption(parsed.values, 'audio');
    const imageBytes = image ? await readInputFile(image) : undefined;
    const audioBytes = audio ? await readInputFile(audio) : undefined;
    return generate(ctx, request, { image, imageBytes, audio, audioBytes }, parsed.values.json === true, {
      preview: parsed.values.preview === true,
    });
  },
};

export async function generate(
  ctx: CliContext,
  request: CreateVideoRequest,
  files: {
    image?: string | undefined;
    imageBytes?: Uint8Array | undefined;
    audio?: string | undefined;
    audioBytes?: Uint8Array | undefined;
  },
  json: boolean,
  /** `preview`: a free animatic preview whatever the deployment's provider (`reelsmith render` pays for it later). */
  opts: { preview?: boolean } = {},
): Promise<number> {
  const app = await ctx.open();
  await app.service.estimate(request);
  if (files.image && files.imageBytes) {
    const asset = await app.service.addAsset(
      ctx.owner,
      { bytes: files.imageBytes, filename: basename(files.image) },
      'image',
    );
    request.imageAssetId = asset.assetId;
  }
  if (files.audio && files.audioBytes) {
    const asset = await app.service.addAsset(
      ctx.owner,
      { bytes: files.audioBytes, filename: basename(files.audio) },
      'audio',
    );
    request.audioAssetId = asset.assetId;
  }
  const created = await app.service.create(ctx.owner, request, opts.preview ? { preview: true } : {});
  if (!json) ctx.stderr.write(`Video ${created.videoId} queued (${created.provider}). Ctrl-C stops waiting.\n`);
  return followAndPrint(app, ctx, created.videoId, json);
}

function buildRequest(prompt: string, values: Record<string, string | boolean | undefined>): CreateVideoRequest {
  const mode = stringOption(values, 'mode');
  if (mode !== undefined && mode !== 'ad' && mode !== 'music_video' && mode !== 'image_pairs') {
    throw new UserError('invalid_mode', `--mode must be ad, music_video or image_pairs; got "${mode}".`);
  }
  const request: CreateVideoRequest = { prompt };
  const durationS = numberOption(values, 'duration', 'invalid_duration');
  const creativity = numberOption(values, 'creativity', 'invalid_creativity');
  const model = stringOption(values, 'model');
  const flavor = stringOption(values, 'flavor');
  const character = stringOption(values, 'character');
  if (durationS !== undefined) request.durationS = durationS;
  if (creativity !== undefined) request.creativity = creativity;
  if (mode !== undefined) request.mode = mode;
  if (model !== undefined) request.model = model;
  if (flavor !== undefined) request.flavor = flavor;
  if (character !== undefined) request.characterDescription = character;
  return request;
}

/** Reads a file the user named. @throws UserError `file_not_found` naming it. */
export async function readInputFile(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder' : 'cannot be read';
    throw new UserError('file_not_found', `${path} ${why}.`, { cause: error });
  }
}
