/**
 * `npm run discord`: the Discord bot process. The only module that reads the environment, opens
 * the app and handles signals; the bot itself is `createDiscordBot`.
 */
import { openFront, runMain, startHealthServer, untilStopped } from '../shared/process.js';
import { createDiscordBot } from './create-bot.js';

async function main(): Promise<number> {
  const opened = await openFront('reelsmith-discord', process.env, {
    missing: (config) => [
      !config.redisUrl && 'REDIS_URL (the bot hands videos to the workers and reads notify-discord from Redis)',
      !config.databaseUrl && 'DATABASE_URL (the bot shares Postgres with the workers)',
      !config.discord.token && 'DISCORD_TOKEN (the bot token from the Discord developer portal)',
    ],
    secrets: (config) => [config.discord.token],
  });
  if (typeof opened === 'number') return opened;
  const { config, log, app } = opened;
  const notifications = app.notifications;
  const bot = createDiscordBot({
    service: app.service,
    log,
    token: config.discord.token as string,
    apiUrl: config.discord.apiUrl,
    ...(notifications
      ? { consumeNotifications: (handle) => notifications.consume('notify-discord', handle, { concurrency: 4 }) }
      : {}),
  });
  await bot.start();
  const health = startHealthServer(config.worker.healthPort, () => bot.client.isReady(), log);
  log.info({ pid: process.pid, user: bot.client.user?.tag, runner: app.runner }, 'discord bot ready');
  await untilStopped();
  health.close();
  await bot.close();
  await app.close();
  return 0;
}

runMain('reelsmith-discord', main);
