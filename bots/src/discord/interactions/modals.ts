import { MessageFlags, type ModalSubmitInteraction } from 'discord.js';
import { type BotContext, ownerOf } from '../context.js';
import { parseCustomId } from '../custom-ids.js';
import { explain } from '../replies.js';
import { PROMPT_INPUT } from './buttons.js';

/** The Edit prompt modal: regenerates the scene with the submitted prompt (checked by the service). */
export async function handleModal(interaction: ModalSubmitInteraction, ctx: BotContext): Promise<void> {
  const parsed = parseCustomId(interaction.customId);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  if (parsed?.action !== 'prompt' || parsed.scene === undefined) {
    await interaction.editReply('This form is not one of ours.');
    return;
  }
  try {
    const prompt = interaction.fields.getTextInputValue(PROMPT_INPUT);
    await ctx.service.regenerateScene(ownerOf(interaction), parsed.videoId, parsed.scene, { prompt });
    await interaction.editReply(`Regenerating scene ${parsed.scene} with your prompt…`);
  } catch (error) {
    await interaction.editReply(explain(error, ctx, true));
  }
}
