import type { Logger, Origin, Owner, VideoService } from '@reelsmith/core';
import type { AutocompleteInteraction, ButtonInteraction, ChatInputCommandInteraction, Interaction } from 'discord.js';

/** What every command and button handler gets. The bot talks to nothing but the VideoService. */
export interface BotContext {
  service: VideoService;
  log: Logger;
  /**
   * Called once this interaction is acknowledged; resolves when no other interaction is still
   * waiting for its ack (at most 1 s), so a burst of commands is acknowledged before any of them
   * does its work (Discord's 3 s deadline is per interaction).
   */
  acked?(): Promise<void>;
}

/** A slash command, one per file (the discord.js template's shape). */
export interface Command {
  data: { name: string; toJSON(): unknown };
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
}

/** The Reelsmith owner behind a Discord user. */
export function ownerOf(interaction: Interaction): Owner {
  return { platform: 'discord', platformUserId: interaction.user.id, displayName: interaction.user.username };
}

/** Where a video asked for by this interaction is delivered: its channel, and what the bot may upload there. */
export function originOf(interaction: ChatInputCommandInteraction | ButtonInteraction): Origin {
  return {
    platform: 'discord',
    channelId: interaction.channelId,
    ...(interaction.guildId ? { guildId: interaction.guildId } : {}),
    uploadLimitBytes: interaction.attachmentSizeLimit,
  };
}
