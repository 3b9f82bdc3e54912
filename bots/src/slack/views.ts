import type { FlavorInfo, ModelInfo } from '@reelsmith/core';
import { truncate } from '../shared/progress-text.js';
import { VIEW } from './action-ids.js';

/** Block ids of the create form; each input's action id is `value`. */
export const FIELD = {
  prompt: 'prompt',
  duration: 'duration',
  mode: 'mode',
  model: 'model',
  flavor: 'flavor',
  character: 'character',
  image: 'image',
  audio: 'audio',
  preview: 'preview',
} as const;

/** The value of the create form's preview checkbox. */
export const PREVIEW_CHOICE = 'preview';

export const IMAGE_TYPES = ['png', 'jpg', 'jpeg', 'webp'];
export const AUDIO_TYPES = ['mp3', 'wav', 'm4a', 'ogg', 'flac'];

const plain = (text: string) => ({ type: 'plain_text', text });
const option = (text: string, value: string) => ({ text: plain(truncate(text, 75)), value });
const input = (
  blockId: string,
  label: string,
  element: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) => ({
  type: 'input',
  block_id: blockId,
  label: plain(label),
  element: { action_id: 'value', ...element },
  ...extra,
});
const select = (placeholder: string, options: Array<ReturnType<typeof option>>, initial?: string) => ({
  type: 'static_select',
  placeholder: plain(placeholder),
  options: options.slice(0, 100),
  ...(initial ? { initial_option: options.find((o) => o.value === initial) } : {}),
});

/** What the create form carries besides its fields: where the video's messages go. */
export interface CreateFormMetadata {
  channelId: string;
}

/**
 * `/video` with no text: the same fields as the command's options (`--preview` is a checkbox), plus
 * a reference image and an audio track (file inputs: Slack uploads them, the app downloads them
 * with the bot token).
 */
export function createVideoModal(
  metadata: CreateFormMetadata,
  models: readonly ModelInfo[],
  flavors: readonly FlavorInfo[],
): Record<string, unknown> {
  const durations = Array.from({ length: 24 }, (_, i) => option(`${(i + 1) * 5} s`, String((i + 1) * 5)));
  const videoModels = models.filter((model) => model.kind === 'video');
  return {
    type: 'modal',
    callback_id: VIEW.createVideo,
    private_metadata: JSON.stringify(metadata),
    title: plain('New video'),
    submit: plain('Create'),
    close: plain('Cancel'),
    blocks: [
      input(FIELD.prompt, 'What the video shows', {
        type: 'plain_text_input',
        multiline: true,
        max_length: 2000,
        placeholder: plain('A red sneaker on a rooftop at dawn'),
      }),
      input(FIELD.duration, 'Length', select('15 s', durations, '15'), { optional: true }),
      input(
        FIELD.mode,
        'Kind',
        select('Product ad', [option('Product ad', 'ad'), option('Music video', 'music_video')]),
        {
          optional: true,
        },
      ),
      input(
        FIELD.model,
        'Video model',
        select(
          'hailuo (default)',
          videoModels.map((model) => option(`${model.key} · ${model.label}`, model.key)),
        ),
        { optional: true },
      ),
      input(
        FIELD.flavor,
        'Style',
        select(
          'default',
          flavors.map((flavor) => option(flavor.name, flavor.name)),
        ),
        { optional: true },
      ),
      input(
        FIELD.character,
        'Character (music video)',
        { type: 'plain_text_input', max_length: 500, placeholder: plain('A fox in a red coat') },
        { optional: true },
      ),
      input(
        FIELD.image,
        'Reference image (scene 1’s frame)',
        { type: 'file_input', filetypes: IMAGE_TYPES, max_files: 1 },
        { optional: true, hint: plain('PNG, JPEG or WebP, up to 10 MB and 4096×4096 px.') },
      ),
      input(
        FIELD.audio,
        'Audio track (for lipsync)',
        { type: 'file_input', filetypes: AUDIO_TYPES, max_files: 1 },
        { optional: true, hint: plain('MP3, WAV, M4A, OGG or FLAC, up to 50 MB.') },
      ),
      input(
        FIELD.preview,
        'Preview first',
        { type: 'checkboxes', options: [option('A free animatic preview', PREVIEW_CHOICE)] },
        { optional: true, hint: plain('Its final card offers the paid render once you like it.') },
      ),
    ],
  };
}

/** What the edit form carries: the scene it edits and where to answer. */
export interface EditFormMetadata {
  videoId: string;
  scene: number;
  channelId: string;
  threadTs?: string;
}

/** Edit prompt: a modal prefilled with the scene's prompt; submitting regenerates the scene with it. */
export function editPromptModal(metadata: EditFormMetadata, prompt: string): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: VIEW.editPrompt,
    private_metadata: JSON.stringify(metadata),
    title: plain(`Edit scene ${metadata.scene}`),
    submit: plain('Regenerate'),
    close: plain('Cancel'),
    blocks: [
      input(FIELD.prompt, 'Prompt', {
        type: 'plain_text_input',
        multiline: true,
        max_length: 2000,
        initial_value: prompt.slice(0, 2000),
      }),
    ],
  };
}
