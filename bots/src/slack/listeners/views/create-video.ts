import { type CreateVideoRequest, UserError } from '@reelsmith/core';
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { startVideo } from '../../answers.js';
import { explain, ownerOf, type SlackContext } from '../../context.js';
import { type CreateFormMetadata, FIELD, PREVIEW_CHOICE } from '../../views.js';
import { fieldValues, type PickedFile } from './field-values.js';

const MiB = 1024 * 1024;
const IMAGE_MIME = new Set(['image/png', 'image/jpeg', 'image/webp']);
const LIMITS = { image: 10 * MiB, audio: 50 * MiB };
/** Which form field a service refusal is about, by its code. */
const FIELD_OF_CODE: Record<string, string> = {
  empty_prompt: FIELD.prompt,
  prompt_too_long: FIELD.prompt,
  invalid_duration: FIELD.duration,
  invalid_mode: FIELD.mode,
  unknown_model: FIELD.model,
  unknown_flavor: FIELD.flavor,
  invalid_flavor: FIELD.flavor,
  invalid_character_description: FIELD.character,
  character_description_too_long: FIELD.character,
};

/**
 * The create form: every field is checked before the answer (the prompt, the request by the
 * service's own estimate, and the files by what Slack says of them), and a problem is shown at its
 * field (`response_action: errors`) with nothing created. Then the form closes, the files are
 * downloaded with the bot token and validated by their content, and the video starts; the outcome
 * is told ephemerally in the channel the form came from.
 */
export async function createVideoSubmitted(
  { ack, body, view, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs,
  ctx: SlackContext,
  fileHosts: readonly string[],
): Promise<void> {
  const fields = fieldValues(view.state.values);
  const request: CreateVideoRequest = { prompt: fields.text(FIELD.prompt) };
  const duration = fields.selected(FIELD.duration);
  if (duration) request.durationS = Number(duration);
  const mode = fields.selected(FIELD.mode);
  if (mode === 'ad' || mode === 'music_video') request.mode = mode;
  const model = fields.selected(FIELD.model);
  if (model) request.model = model;
  const flavor = fields.selected(FIELD.flavor);
  if (flavor) request.flavor = flavor;
  const character = fields.text(FIELD.character);
  if (character) request.characterDescription = character;
  const image = fields.files(FIELD.image)[0];
  const audio = fields.files(FIELD.audio)[0];

  const errors: Record<string, string> = {};
  if (!request.prompt) errors[FIELD.prompt] = 'Say what the video shows, e.g. “a red sneaker on a rooftop at dawn”.';
  else {
    try {
      await ctx.service.estimate(request);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      errors[FIELD_OF_CODE[error.code] ?? FIELD.prompt] = error.message;
    }
  }
  const imageProblem = image && fileProblem(image, 'image', fileHosts);
  if (imageProblem) errors[FIELD.image] = imageProblem;
  const audioProblem = audio && fileProblem(audio, 'audio', fileHosts);
  if (audioProblem) errors[FIELD.audio] = audioProblem;
  if (Object.keys(errors).length > 0) {
    await ack({ response_action: 'errors', errors });
    return;
  }
  await ack();
  await ctx.acked();

  const metadata = JSON.parse(view.private_metadata || '{}') as CreateFormMetadata;
  const teamId = body.team?.id ?? body.user.team_id ?? '';
  const owner = ownerOf(teamId, body.user.id, body.user.name);
  const download = (file: PickedFile) => ({
    url: file.url_private_download ?? file.url_private ?? '',
    authorization: `Bearer ${ctx.botToken}`,
  });
  let text: string;
  try {
    if (image) request.imageAssetId = (await ctx.service.addAsset(owner, download(image), 'image')).assetId;
    if (audio) request.audioAssetId = (await ctx.service.addAsset(owner, download(audio), 'audio')).assetId;
    text = await startVideo(
      ctx,
      owner,
      request,
      { teamId, channelId: metadata.channelId, idempotencyKey: `slack:${teamId}:view:${view.id}` },
      fields.checked(FIELD.preview, PREVIEW_CHOICE),
    );
  } catch (error) {
    text = explain(error, ctx);
  }
  await client.chat.postEphemeral({ channel: metadata.channelId, user: body.user.id, text });
}

/** Why a picked file cannot be used, from what Slack says of it (its content is checked after download). */
function fileProblem(file: PickedFile, kind: 'image' | 'audio', fileHosts: readonly string[]): string | undefined {
  const name = file.name ?? 'The file';
  const mimetype = file.mimetype ?? 'unknown';
  const fits = kind === 'image' ? IMAGE_MIME.has(mimetype) : mimetype.startsWith('audio/');
  if (!fits)
    return kind === 'image'
      ? `${name} is not a PNG, JPEG or WebP image (it is ${mimetype}); pick an image.`
      : `${name} is not an audio file (it is ${mimetype}); pick an MP3, WAV, M4A, OGG or FLAC.`;
  const size = file.size ?? 0;
  if (size > LIMITS[kind])
    return `${name} is ${(size / MiB).toFixed(1)} MB; ${kind === 'image' ? 'images' : 'audio tracks'} can be up to ${LIMITS[kind] / MiB} MB.`;
  const url = file.url_private_download ?? file.url_private;
  let host = '';
  try {
    host = url ? new URL(url).hostname : '';
  } catch {
    host = '';
  }
  if (!fileHosts.includes(host)) return `${name} is not a file on Slack; upload it again.`;
  return undefined;
}
