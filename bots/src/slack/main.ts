/**
 * `npm run slack`: the Slack app process. The only module that reads the environment, opens the
 * app and handles signals; the app itself is `createSlackApp`.
 */
import { openFront, runMain, startHealthServer, untilStopped } from '../shared/process.js';
import { createSlackApp } from './create-app.js';

async function main(): Promise<number> {
  const opened = await openFront('reelsmith-slack', process.env, {
    missing: ({ redisUrl, databaseUrl, slack }) => [
      !redisUrl && 'REDIS_URL (the app hands videos to the workers and reads notify-slack from Redis)',
      !databaseUrl && 'DATABASE_URL (the app shares Postgres with the workers)',
      !slack.botToken && 'SLACK_BOT_TOKEN (the xoxb- token from the app’s OAuth & Permissions page)',
      !slack.appToken &&
        !slack.signingSecret &&
        'SLACK_SIGNING_SECRET (Basic Information → Signing Secret), or SLACK_APP_TOKEN for Socket Mode',
    ],
    secrets: ({ slack }) => [slack.botToken, slack.signingSecret, slack.appToken],
  });
  if (typeof opened === 'number') return opened;
  const { config, log, app } = opened;
  const { slack } = config;
  const notifications = app.notifications;
  const slackApp = createSlackApp({
    service: app.service,
    log,
    botToken: slack.botToken as string,
    signingSecret: slack.signingSecret ?? '',
    apiUrl: slack.apiUrl,
    appToken: slack.appToken,
    ...(notifications
      ? { consumeNotifications: (handle) => notifications.consume('notify-slack', handle, { concurrency: 4 }) }
      : {}),
  });
  const started = await slackApp.start({ port: slack.port });
  const health = startHealthServer(config.worker.healthPort, () => true, log);
  log.info(
    { pid: process.pid, mode: slack.appToken ? 'socket' : 'http', port: started.port, runner: app.runner },
    'slack app ready',
  );
  await untilStopped();
  health.close();
  await slackApp.close();
  await app.close();
  return 0;
}

runMain('reelsmith-slack', main);
