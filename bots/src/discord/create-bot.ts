import type { Logger, NotificationConsumer, NotificationJobData, VideoService } from '@reelsmith/core';
import { Client, Events, GatewayIntentBits, MessageFlags } from 'discord.js';
import { commands } from './commands/index.js';
import type { BotContext } from './context.js';
import { handleButton } from './interactions/buttons.js';
import { handleModal } from './interactions/modals.js';
import { createDiscordNotifier } from './notifications.js';

export interface DiscordBotDeps {
  service: VideoService;
  log: Logger;
  token: string;
  /** REST base (`DISCORD_API_URL`); Discord's own by default. */
  apiUrl?: string | undefined;
  /** Starts consuming `notify-discord` with the bot's handler (the app's notification consumer). */
  consumeNotifications?:
    | ((handle: (data: NotificationJobData) => Promise<void>) => Promise<NotificationConsumer>)
    | undefined;
  /** Least time between progress edits of one message, ms. Default 2000. */
  editIntervalMs?: number;
}

export interface DiscordBot {
  client: Client;
  /** Logs in, waits until the gateway is ready, starts the notification consumer. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The Discord front: `/video` and its subcommands, the cards' buttons and modal, and the
 * notification consumer that posts progress and cards. It talks only to the VideoService and the
 * notification queue; `main.ts` reads the environment and wires both.
 */
export function createDiscordBot(deps: DiscordBotDeps): DiscordBot {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    ...(deps.apiUrl ? { rest: { api: deps.apiUrl } } : {}),
  });
  const baseCtx: BotContext = { service: deps.service, log: deps.log };
  const byName = new Map(commands(deps.service.listModels()).map((command) => [command.data.name, command]));
  let consumer: NotificationConsumer | undefined;
  let notifier: ReturnType<typeof createDiscordNotifier> | undefined;

  let unacked = 0;
  const waiting: Array<() => void> = [];
  client.on(Events.InteractionCreate, async (interaction) => {
    unacked += 1;
    let counted = true;
    const settle = () => {
      if (!counted) return;
      counted = false;
      unacked -= 1;
      if (unacked === 0) for (const wake of waiting.splice(0)) wake();
    };
    const ctx: BotContext = {
      ...baseCtx,
      acked() {
        settle();
        if (unacked === 0) return Promise.resolve();
        return new Promise((resolve) => {
          waiting.push(resolve);
          setTimeout(resolve, 1000).unref();
        });
      },
    };
    try {
      if (interaction.isChatInputCommand()) {
        const command = byName.get(interaction.commandName);
        if (command) await command.execute(interaction, ctx);
        else await interaction.reply({ content: 'Unknown command.', flags: MessageFlags.Ephemeral });
      } else if (interaction.isAutocomplete()) {
        await byName.get(interaction.commandName)?.autocomplete?.(interaction, ctx);
      } else if (interaction.isButton()) {
        await handleButton(interaction, ctx);
      } else if (interaction.isModalSubmit()) {
        await handleModal(interaction, ctx);
      }
    } catch (error) {
      deps.log.error({ err: error, interaction: interaction.id }, 'interaction failed');
    } finally {
      settle();
    }
  });
  client.on(Events.Error, (error) => deps.log.warn({ err: error }, 'discord client error'));

  return {
    client,
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(deps.token);
      await ready;
      if (deps.consumeNotifications) {
        notifier = createDiscordNotifier({
          rest: client.rest,
          service: deps.service,
          log: deps.log,
          ...(deps.editIntervalMs !== undefined ? { editIntervalMs: deps.editIntervalMs } : {}),
        });
        consumer = await deps.consumeNotifications(notifier.handle);
      }
    },
    async close() {
      await consumer?.close();
      notifier?.close();
      await client.destroy();
    },
  };
}
