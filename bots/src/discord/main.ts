/**
 * `npm run discord`: the Discord bot process. The only module that reads the environment, opens
 * the app and handles signals; the bot itself is `createDiscordBot`.
 */
import { ConfigError, createLogger, loadConfig, openReelsmith, UserError } from '@reelsmith/core';
import { runMain, startHealthServer, untilStopped } from '../shared/process.js';
import { createDiscordBot } from './create-bot.js';

async function main(): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`reelsmith-discord: ${error.message}\n`);
    return 2;
  }
  const missing = [
    !config.redisUrl && 'REDIS_URL (the bot hands videos to the workers and reads notify-discord from Redis)',
    !config.databaseUrl && 'DATABASE_URL (the bot shares Postgres with the workers)',
    !config.discord.token && 'DISCORD_TOKEN (the bot token from the Discord developer portal)',
  ].filter(Boolean);
  if (missing.length > 0) {
    process.stderr.write(`reelsmith-discord: set ${missing.join('; ')}.\n`);
    return 2;
  }
  const log = createLogger({
    level: config.logLevel,
    name: 'reelsmith-discord',
    pretty: config.logFormat === 'pretty',
    secrets: [config.discord.token, config.replicate.apiToken, config.llm.apiKey, config.s3?.secretAccessKey],
  });
  let app: Awaited<ReturnType<typeof openReelsmith>>;
  try {
    app = await openReelsmith(config, { log });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    process.stderr.write(`reelsmith-discord: ${error.message}\n`);
    return 1;
  }
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
