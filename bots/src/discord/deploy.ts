import type { ModelInfo } from '@reelsmith/core';
import { type REST, Routes } from 'discord.js';
import { commands } from './commands/index.js';

/**
 * Registers the bot's commands: in one guild when `guildId` is given (they update at once), else
 * globally (they propagate within the hour). Resolves with what Discord stored.
 */
export async function deployCommands(options: {
  rest: REST;
  applicationId: string;
  guildId?: string | undefined;
  models: readonly ModelInfo[];
}): Promise<unknown[]> {
  const body = commands(options.models).map((command) => command.data.toJSON());
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  return (await options.rest.put(route, { body })) as unknown[];
}
