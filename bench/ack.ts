import { Client, Events, GatewayIntentBits } from 'discord.js';
import { createDiscordBot } from '../bots/src/discord/create-bot.js';
import {
  type CommandOption,
  type FakeDiscord,
  type FakeInteraction,
  slashCommand,
  startFakeDiscord,
} from '../bots/src/testing/fake-discord/index.js';
import { createLogger } from '../core/src/log.js';
import { startCluster } from '../worker/test/helpers/cluster.js';
import { benchSlackAck } from './ack-slack.js';

/**
 * Discord's 3 s deadline, measured: the time from the fake Discord dispatching INTERACTION_CREATE
 * to it receiving the bot's ack (the callback request), for 50 `/video create` commands of 50
 * users at once. Ours is the real bot (`createDiscordBot` on the QueueRunner front, with the
 * notification consumer running, as `npm run discord` runs it); the baseline a bare discord.js client that only defers, against
 * its own fake in the same run. Goal: p99 ≤ 200 ms.
 */
const COMMANDS = 50;
const OPTIONS: CommandOption[] = [
  { name: 'prompt', type: 3, value: 'a glass of iced coffee on a sunny terrace' },
  { name: 'duration', type: 4, value: 5 },
  { name: 'model', type: 3, value: 'tiny' },
];

export async function benchAck(): Promise<string[]> {
  const bare = await measureBare();
  const ours = await measureOurs();
  const row = (name: string, ms: number[]) =>
    `  ${name.padEnd(28)} p50 ${percentile(ms, 50).toFixed(0).padStart(4)} ms   p99 ${percentile(ms, 99).toFixed(0).padStart(4)} ms`;
  return [
    `discord ack: ${COMMANDS} concurrent /video create, INTERACTION_CREATE → ack request (goal p99 ≤ 200 ms)`,
    row('reelsmith bot', ours),
    row('bare discord.js, defer only', bare),
    `  p99 ratio ours / bare: ${(percentile(ours, 99) / Math.max(1, percentile(bare, 99))).toFixed(2)}`,
    ...(await slackRows(row)),
  ];
}

async function slackRows(row: (name: string, ms: number[]) => string): Promise<string[]> {
  const slack = await benchSlackAck();
  return [
    `slack ack: ${COMMANDS} concurrent signed /video commands, request → HTTP ack (goal p99 ≤ 200 ms)`,
    row('reelsmith app', slack.ours),
    row('bare Bolt, ack only', slack.bare),
    `  p99 ratio ours / bare: ${(percentile(slack.ours, 99) / Math.max(1, percentile(slack.bare, 99))).toFixed(2)}`,
  ];
}

/** The bot as `npm run discord` runs it: its own process's front on the QueueRunner (the workers are elsewhere). */
async function measureOurs(): Promise<number[]> {
  const fake = await startFakeDiscord({ heartbeatIntervalMs: 1000 });
  const cluster = await startCluster({ workers: 0 });
  const notifications = cluster.front.notifications;
  const bot = createDiscordBot({
    service: cluster.front.service,
    log: createLogger({ level: 'silent' }),
    token: fake.botToken,
    apiUrl: fake.apiUrl,
    ...(notifications
      ? { consumeNotifications: (handle) => notifications.consume('notify-discord', handle, { concurrency: 4 }) }
      : {}),
  });
  try {
    await bot.start();
    const fired = users().map((user) => fake.interact(slashCommand(context(fake, user), 'create', OPTIONS)));
    return await latencies(fired);
  } finally {
    await bot.close();
    await cluster.close();
    await fake.close();
  }
}

async function measureBare(): Promise<number[]> {
  const fake = await startFakeDiscord({ heartbeatIntervalMs: 1000 });
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
  client.on(Events.InteractionCreate, (interaction) => {
    if (interaction.isChatInputCommand()) void interaction.deferReply().catch(() => {});
  });
  try {
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(fake.botToken);
    await ready;
    const fired = users().map((user) => fake.interact(slashCommand(context(fake, user), 'create', OPTIONS)));
    return await latencies(fired);
  } finally {
    await client.destroy();
    await fake.close();
  }
}

function users() {
  return Array.from({ length: COMMANDS }, (_, i) => ({
    id: String(400000000000000000n + BigInt(i)),
    username: `u${i}`,
  }));
}

function context(fake: FakeDiscord, user: { id: string; username: string }) {
  return {
    applicationId: fake.applicationId,
    guildId: fake.guildId,
    channelId: fake.channelId,
    user,
    attachmentSizeLimit: fake.attachmentSizeLimit,
  };
}

async function latencies(fired: FakeInteraction[]): Promise<number[]> {
  return Promise.all(fired.map(async (interaction) => (await interaction.callback).at - interaction.dispatchedAt));
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await benchAck()) console.log(line);
  process.exit(0);
}
