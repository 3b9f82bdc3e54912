import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Owner } from '@reelsmith/core';
import { createLogger } from '../../../core/src/log.js';
import { createNotificationConsumer } from '../../../core/src/runners/queue/notification-consumer.js';
import { tableLookup } from '../../../core/test/assets/https-fixture.js';
import { createTestStack, type TestStack, type TestStackOptions } from '../../../core/test/helpers/pipeline.js';
import { createDiscordBot, type DiscordBot } from '../../src/discord/create-bot.js';
import {
  buttonPress,
  type CommandOption,
  type FakeAttachment,
  type FakeDiscord,
  type FakeDiscordOptions,
  type FakeInteraction,
  type FakeMessage,
  type FakeUser,
  type InteractionContext,
  modalSubmit,
  slashCommand,
  startFakeDiscord,
} from '../../src/testing/fake-discord/index.js';

export { eventually } from '../shared/eventually.js';
export const ADA: FakeUser = { id: '300000000000000001', username: 'ada' };
export const BOB: FakeUser = { id: '300000000000000002', username: 'bob' };
export const ownerOf = (user: FakeUser): Owner => ({ platform: 'discord', platformUserId: user.id });

export interface DiscordHarness {
  fake: FakeDiscord;
  stack: TestStack;
  bot: DiscordBot;
  /** Replaces the bot with a fresh one (a restart): same Postgres, Redis and fake Discord. */
  restartBot(): Promise<void>;
  context(user?: FakeUser): InteractionContext;
  command(
    subcommand: string,
    options?: CommandOption[],
    attachments?: FakeAttachment[],
    user?: FakeUser,
  ): FakeInteraction;
  press(message: FakeMessage, customId: string, user?: FakeUser): FakeInteraction;
  submit(customId: string, value: string, user?: FakeUser): FakeInteraction;
  /** The text of an interaction's deferred reply once the bot edited it. */
  reply(interaction: FakeInteraction): Promise<string>;
  close(): Promise<void>;
}

/**
 * A Discord bot built with `createDiscordBot` against the loopback fake Discord, on the
 * QueueRunner with a real worker (real Redis and Postgres), the animatic, and the notification
 * consumer; attachments come from the fake's HTTPS CDN, reached through the service's test seam.
 */
export async function startDiscordHarness(
  options: { fake?: FakeDiscordOptions; editIntervalMs?: number; stack?: TestStackOptions } = {},
): Promise<DiscordHarness> {
  const fake = await startFakeDiscord({ heartbeatIntervalMs: 1000, ...options.fake });
  const { lookup } = tableLookup({ [fake.cdn.host]: '127.0.0.1' });
  const stack = await createTestStack({
    ...options.stack,
    runner: 'queue',
    remoteFetch: { lookup, isAllowedAddress: (address) => address === '127.0.0.1', ca: fake.cdn.ca },
  });
  const log = createLogger({ level: 'silent' });
  const runtime = stack.queue?.runtime;
  if (!runtime) throw new Error('queue stack expected');
  const newBot = () =>
    createDiscordBot({
      service: stack.service,
      log,
      token: fake.botToken,
      apiUrl: fake.apiUrl,
      editIntervalMs: options.editIntervalMs ?? 200,
      consumeNotifications: async (handle) =>
        createNotificationConsumer({ runtime, db: stack.database.db, log, queue: 'notify-discord', handle }),
    });
  const harness: DiscordHarness = {
    fake,
    stack,
    bot: newBot(),
    async restartBot() {
      await harness.bot.close();
      fake.disconnectClients();
      harness.bot = newBot();
      await harness.bot.start();
    },
    context: (user = ADA) => ({
      applicationId: fake.applicationId,
      guildId: fake.guildId,
      channelId: fake.channelId,
      user,
      attachmentSizeLimit: fake.attachmentSizeLimit,
    }),
    command: (subcommand, options = [], attachments = [], user = ADA) =>
      fake.interact(slashCommand(harness.context(user), subcommand, options, attachments)),
    press: (message, customId, user = ADA) => fake.interact(buttonPress(harness.context(user), message, customId)),
    submit: (customId, value, user = ADA) =>
      fake.interact(modalSubmit(harness.context(user), customId, 'prompt', value)),
    async reply(interaction) {
      await interaction.callback;
      for (let i = 0; i < 500; i++) {
        const original = interaction.original();
        if (original?.content) return original.content;
        await sleep(10);
      }
      throw new Error(`interaction ${interaction.id} got no reply`);
    },
    async close() {
      await harness.bot.close();
      await stack.close();
      await fake.close();
    },
  };
  await harness.bot.start();
  return harness;
}

/** A solid-colour PNG and a tone WAV, made with ffmpeg in `dir`. */
export async function sampleMedia(dir: string): Promise<{ png: Buffer; wav: Buffer }> {
  const png = join(dir, 'product.png');
  const wav = join(dir, 'song.wav');
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'color=c=0x2060d0:s=640x360',
    '-frames:v',
    '1',
    png,
  ]);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=20', wav]);
  return { png: await readFile(png), wav: await readFile(wav) };
}

/** Every custom id on a message's components. */
export function customIds(message: FakeMessage): string[] {
  const walk = (components: FakeMessage['components']): string[] =>
    components.flatMap((c) => [
      ...(c.custom_id ? [c.custom_id] : []),
      ...walk(c.components ?? []),
      ...(c.accessory ? walk([c.accessory]) : []),
    ]);
  return walk(message.components);
}

/** All text of a message's text displays. */
export function textOf(message: FakeMessage): string {
  const walk = (components: FakeMessage['components']): string[] =>
    components.flatMap((c) => [...(typeof c.content === 'string' ? [c.content] : []), ...walk(c.components ?? [])]);
  return [message.content, ...walk(message.components)].filter(Boolean).join('\n');
}
