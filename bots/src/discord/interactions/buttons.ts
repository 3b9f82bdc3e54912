import {
  type ButtonInteraction,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { renderAnswer } from '../../shared/render-offer.js';
import { type BotContext, originOf, ownerOf } from '../context.js';
import { customId, parseCustomId } from '../custom-ids.js';
import { explain, NOT_YOURS } from '../replies.js';

/** The prompt input of the Edit modal. */
export const PROMPT_INPUT = 'prompt';

/**
 * A button of a card. Only the video's owner may press it: the verbs are owner-scoped, so anyone
 * else is told so and nothing changes. A double click makes one job (the second finds the video
 * busy, or for Render the first render). Edit prompt answers with a modal prefilled with the
 * scene's prompt. Render makes the paid video of a preview; its cards follow in this channel.
 */
export async function handleButton(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
  const parsed = parseCustomId(interaction.customId);
  if (!parsed) {
    await interaction.reply({ content: 'This button is not one of ours.', flags: MessageFlags.Ephemeral });
    return;
  }
  const owner = ownerOf(interaction);
  const { service } = ctx;
  if (parsed.action === 'edit' && parsed.scene !== undefined) {
    try {
      const view = await service.get(owner, parsed.videoId);
      const scene = view.scenes[parsed.scene - 1];
      if (!scene) throw new Error(`scene ${parsed.scene} is gone`);
      const modal = new ModalBuilder()
        .setCustomId(customId('prompt', parsed.videoId, parsed.scene))
        .setTitle(`Edit scene ${parsed.scene}`)
        .addLabelComponents(
          new LabelBuilder()
            .setLabel('Prompt')
            .setTextInputComponent(
              new TextInputBuilder()
                .setCustomId(PROMPT_INPUT)
                .setStyle(TextInputStyle.Paragraph)
                .setMaxLength(4000)
                .setValue(scene.prompt.slice(0, 4000))
                .setRequired(true),
            ),
        );
      await interaction.showModal(modal);
    } catch (error) {
      await interaction.reply({ content: explain(error, ctx, true), flags: MessageFlags.Ephemeral });
    }
    return;
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  try {
    const scene = parsed.scene ?? 0;
    if (parsed.action === 'regen') {
      await service.regenerateScene(owner, parsed.videoId, scene);
      await interaction.editReply(`Regenerating scene ${scene}…`);
    } else if (parsed.action === 'lipsync') {
      await service.lipsyncScene(owner, parsed.videoId, scene);
      await interaction.editReply(`Lip-syncing scene ${scene} to the video’s audio track…`);
    } else if (parsed.action === 'restitch') {
      await service.restitch(owner, parsed.videoId);
      await interaction.editReply('Re-stitching the current versions of every scene…');
    } else if (parsed.action === 'approve') {
      await service.approve(owner, parsed.videoId);
      await interaction.editReply('Approved: the video starts now.');
    } else if (parsed.action === 'render') {
      // A second press (or a double click) finds the first render of this take: one paid video.
      const view = await service.render(owner, parsed.videoId, { origin: originOf(interaction) });
      await interaction.editReply(renderAnswer(view));
    } else if (parsed.action === 'cancel') {
      await service.cancel(owner, parsed.videoId);
      await interaction.editReply('Cancelled.');
    } else {
      await interaction.editReply(NOT_YOURS);
    }
  } catch (error) {
    await interaction.editReply(explain(error, ctx, true));
  }
}
