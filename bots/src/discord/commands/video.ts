import {
  ACTIVE_VIDEO_STATUSES,
  type CreateVideoRequest,
  type ModelInfo,
  UserError,
  type VideoSummary,
} from '@reelsmith/core';
import {
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  MessageFlags,
  SlashCommandBuilder,
} from 'discord.js';
import { linkCodeText, linkedText, unlinkedText } from '../../shared/link-text.js';
import { costLine, statusLines, truncate } from '../../shared/progress-text.js';
import { previewNote } from '../../shared/render-offer.js';
import { type BotContext, type Command, originOf, ownerOf } from '../context.js';
import { explain } from '../replies.js';

const DURATIONS = Array.from({ length: 24 }, (_, i) => (i + 1) * 5);
const ACTIVE: ReadonlySet<string> = new Set(ACTIVE_VIDEO_STATUSES);

/**
 * `/video create|status|models|flavors|estimate|cancel|link|unlink`; `create … preview:True` makes a free
 * animatic preview whose final card offers the paid render. Model choices come from the registry,
 * flavors and the user's videos by autocomplete. Every answer is ephemeral; a video's progress and
 * cards are posted in the channel by the notification consumer.
 */
export function videoCommand(models: readonly ModelInfo[]): Command {
  const videoModels = models.filter((model) => model.kind === 'video').slice(0, 25);
  const modelOption = (option: import('discord.js').SlashCommandStringOption) =>
    option
      .setName('model')
      .setDescription('The video model (default hailuo)')
      .addChoices(
        ...videoModels.map((model) => ({ name: truncate(`${model.key} · ${model.label}`, 100), value: model.key })),
      );
  const durationOption = (option: import('discord.js').SlashCommandIntegerOption) =>
    option
      .setName('duration')
      .setDescription('Seconds (default 15)')
      .addChoices(...DURATIONS.map((seconds) => ({ name: `${seconds} s`, value: seconds })));
  const data = new SlashCommandBuilder()
    .setName('video')
    .setDescription('Make short videos from a prompt')
    .addSubcommand((sub) =>
      sub
        .setName('create')
        .setDescription('Plan, storyboard, generate, stitch and score a video')
        .addStringOption((o) =>
          o.setName('prompt').setDescription('What the video shows').setRequired(true).setMaxLength(2000),
        )
        .addAttachmentOption((o) =>
          o.setName('image').setDescription('A reference image (PNG, JPEG or WebP): scene 1’s frame'),
        )
        .addAttachmentOption((o) => o.setName('audio').setDescription('An audio track scenes can be lip-synced to'))
        .addIntegerOption(durationOption)
        .addStringOption((o) =>
          o
            .setName('mode')
            .setDescription('A product ad (default) or a music video')
            .addChoices({ name: 'ad', value: 'ad' }, { name: 'music video', value: 'music_video' }),
        )
        .addStringOption(modelOption)
        .addStringOption((o) => o.setName('flavor').setDescription('Prompt style').setAutocomplete(true))
        .addStringOption((o) =>
          o.setName('character').setDescription('Music video: the character in every scene').setMaxLength(500),
        )
        .addBooleanOption((o) =>
          o.setName('preview').setDescription('A free animatic preview first; render it from its final card'),
        ),
    )
    .addSubcommand((sub) =>
      sub
        .setName('status')
        .setDescription('Where one of your videos is')
        .addStringOption((o) =>
          o.setName('video').setDescription('One of your videos (default: the latest)').setAutocomplete(true),
        ),
    )
    .addSubcommand((sub) => sub.setName('models').setDescription('The models and what they cost'))
    .addSubcommand((sub) => sub.setName('flavors').setDescription('The prompt styles'))
    .addSubcommand((sub) =>
      sub
        .setName('estimate')
        .setDescription('What a video would cost')
        .addStringOption((o) =>
          o.setName('prompt').setDescription('What the video shows').setRequired(true).setMaxLength(2000),
        )
        .addIntegerOption(durationOption)
        .addStringOption(modelOption),
    )
    .addSubcommand((sub) =>
      sub
        .setName('cancel')
        .setDescription('Stop one of your videos')
        .addStringOption((o) =>
          o.setName('video').setDescription('One of your videos (default: the latest running)').setAutocomplete(true),
        ),
    )
    .addSubcommand((sub) =>
      sub
        .setName('link')
        .setDescription('Link this Discord account with your AI assistant or Slack: one set of videos')
        .addStringOption((o) =>
          o
            .setName('code')
            .setDescription('A code from link_account or Slack; leave empty to get a code')
            .setMaxLength(20),
        ),
    )
    .addSubcommand((sub) =>
      sub.setName('unlink').setDescription('Undo /video link: this Discord account sees only its own videos again'),
    );

  return {
    data,
    async execute(interaction, ctx) {
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await ctx.acked?.();
      try {
        await interaction.editReply(await answer(interaction, ctx));
      } catch (error) {
        await interaction.editReply(explain(error, ctx));
      }
    },
    async autocomplete(interaction, ctx) {
      await interaction.respond(await suggestions(interaction, ctx).catch(() => []));
    },
  } satisfies Command;
}

async function answer(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<string> {
  const { service } = ctx;
  const owner = ownerOf(interaction);
  const sub = interaction.options.getSubcommand();
  if (sub === 'create') {
    const request = createRequest(interaction);
    const estimate = await service.estimate(request);
    const image = interaction.options.getAttachment('image');
    const audio = interaction.options.getAttachment('audio');
    if (image) request.imageAssetId = (await service.addAsset(owner, { url: image.url }, 'image')).assetId;
    if (audio) request.audioAssetId = (await service.addAsset(owner, { url: audio.url }, 'audio')).assetId;
    const view = await service.create(owner, request, {
      idempotencyKey: `discord:${interaction.id}`,
      origin: originOf(interaction),
      preview: interaction.options.getBoolean('preview') ?? false,
    });
    const where =
      view.status === 'awaiting_approval' ? 'It waits for your approval below.' : 'Progress is posted in this channel.';
    return `Video \`${view.videoId}\` started${previewNote(view, estimate.provider !== 'animatic')}. ${where}`;
  }
  if (sub === 'status') {
    const view = await service.get(owner, await pickVideo(interaction, ctx, () => true));
    return [`**${truncate(view.prompt, 200)}** \`${view.videoId}\``, ...statusLines(view), costLine(view)].join('\n');
  }
  if (sub === 'models') {
    return truncate(
      service
        .listModels()
        .map((model) => `\`${model.key}\` ${model.kind} · ${model.label}`)
        .join('\n'),
      1900,
    );
  }
  if (sub === 'flavors') {
    return service
      .listFlavors()
      .map((flavor) => `\`${flavor.name}\` ${flavor.description ?? ''}`)
      .join('\n');
  }
  if (sub === 'estimate') {
    const estimate = await service.estimate({
      prompt: interaction.options.getString('prompt', true),
      ...optional('durationS', interaction.options.getInteger('duration')),
      ...optional('model', interaction.options.getString('model')),
    });
    const charged =
      estimate.chargedUsd === 0 && estimate.provider === 'animatic' ? ' (an animatic preview here costs $0)' : '';
    return `${estimate.durationS} s on ${estimate.model}: about $${estimate.totalUsd.toFixed(2)}${charged}.`;
  }
  if (sub === 'link' || sub === 'unlink') return answerLink(interaction, ctx, sub);
  const view = await service.cancel(owner, await pickVideo(interaction, ctx, (video) => ACTIVE.has(video.status)));
  return `Video \`${view.videoId}\` cancelled.`;
}

/**
 * `/video link` shows a one-time code to give the AI assistant (or type in Slack); `/video link CODE`
 * enters one made there; `/video unlink` takes this Discord identity out of its account again.
 */
async function answerLink(
  interaction: ChatInputCommandInteraction,
  { service }: BotContext,
  sub: 'link' | 'unlink',
): Promise<string> {
  const owner = ownerOf(interaction);
  if (sub === 'unlink') {
    await service.unlink(owner);
    return unlinkedText({ here: 'Discord' });
  }
  const code = interaction.options.getString('code');
  if (code === null) return linkCodeText(await service.startLink(owner), { here: 'Discord' });
  return linkedText(await service.completeLink(owner, code), { here: 'Discord' });
}

function createRequest(interaction: ChatInputCommandInteraction): CreateVideoRequest {
  return {
    prompt: interaction.options.getString('prompt', true),
    ...optional('durationS', interaction.options.getInteger('duration')),
    ...optional('mode', interaction.options.getString('mode') as CreateVideoRequest['mode'] | null),
    ...optional('model', interaction.options.getString('model')),
    ...optional('flavor', interaction.options.getString('flavor')),
    ...optional('characterDescription', interaction.options.getString('character')),
  };
}

function optional<K extends string, V>(key: K, value: V | null): { [P in K]?: V } {
  return (value === null ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The video named in the `video` option, else the user's latest one matching `fits`. */
async function pickVideo(
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
  fits: (video: VideoSummary) => boolean,
): Promise<string> {
  const named = interaction.options.getString('video');
  if (named) return named;
  const latest = (await ctx.service.list(ownerOf(interaction), { limit: 20 })).find(fits);
  if (!latest) throw new UserError('not_found', 'You have no such video yet; make one with /video create.');
  return latest.videoId;
}

async function suggestions(interaction: AutocompleteInteraction, ctx: BotContext) {
  const focused = interaction.options.getFocused(true);
  const typed = String(focused.value).toLowerCase();
  if (focused.name === 'flavor') {
    return ctx.service
      .listFlavors()
      .filter((flavor) => flavor.name.includes(typed))
      .slice(0, 25)
      .map((flavor) => ({ name: flavor.name, value: flavor.name }));
  }
  const videos = await ctx.service.list(ownerOf(interaction), { limit: 25 });
  return videos
    .filter((video) => video.prompt.toLowerCase().includes(typed) || video.videoId.startsWith(typed))
    .map((video) => ({ name: truncate(`${video.status} · ${video.prompt}`, 100), value: video.videoId }));
}
