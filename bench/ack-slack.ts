import { App, HTTPReceiver } from '@slack/bolt';
import { createSlackApp } from '../bots/src/slack/create-app.js';
import { type FakeSlack, startFakeSlack } from '../bots/src/testing/fake-slack/index.js';
import { createLogger } from '../core/src/log.js';
import { startCluster } from '../worker/test/helpers/cluster.js';

/**
 * Slack's 3 s deadline, measured: the round trip of a signed `/video …` slash command to the app's
 * HTTP answer (the ack), for 50 commands of 50 users at once. Ours is the real app (`createSlackApp`
 * on the QueueRunner front with the notification consumer, as `npm run slack` runs it); the baseline a
 * bare Bolt app whose listener only acks, in the same run. Goal: p99 ≤ 200 ms.
 */
const COMMANDS = 50;
const TEXT = 'a glass of iced coffee on a sunny terrace --duration 5 --model tiny';

export async function benchSlackAck(): Promise<{ ours: number[]; bare: number[] }> {
  const bare = await measureBare();
  const ours = await measureOurs();
  return { ours, bare };
}

async function measureOurs(): Promise<number[]> {
  const fake = await startFakeSlack();
  const cluster = await startCluster({ workers: 0 });
  const notifications = cluster.front.notifications;
  const app = createSlackApp({
    service: cluster.front.service,
    log: createLogger({ level: 'silent' }),
    botToken: fake.botToken,
    signingSecret: fake.signingSecret,
    apiUrl: fake.apiUrl,
    ...(notifications
      ? { consumeNotifications: (handle) => notifications.consume('notify-slack', handle, { concurrency: 4 }) }
      : {}),
  });
  try {
    const { port } = await app.start({ port: 0, host: '127.0.0.1' });
    fake.setAppUrl(`http://127.0.0.1:${port}/slack/events`);
    return await burst(fake);
  } finally {
    await app.close();
    await cluster.close();
    await fake.close();
  }
}

async function measureBare(): Promise<number[]> {
  const fake = await startFakeSlack();
  const app = new App({
    token: fake.botToken,
    receiver: new HTTPReceiver({ signingSecret: fake.signingSecret }),
    tokenVerificationEnabled: false,
    botId: fake.botId,
    botUserId: fake.botUserId,
    clientOptions: { slackApiUrl: fake.apiUrl },
  });
  app.command('/video', async ({ ack }) => {
    await ack();
  });
  try {
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as import('node:http').Server;
    fake.setAppUrl(`http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}/slack/events`);
    return await burst(fake);
  } finally {
    await app.stop();
    await fake.close();
  }
}

async function burst(fake: FakeSlack): Promise<number[]> {
  const users = Array.from({ length: COMMANDS }, (_, i) => ({
    id: `U0BENCH${String(i).padStart(3, '0')}`,
    name: `u${i}`,
  }));
  const answers = await Promise.all(users.map((user) => fake.command(TEXT, { user })));
  const failed = answers.filter((a) => a.response.status !== 200);
  if (failed.length > 0) throw new Error(`${failed.length} commands were not acknowledged`);
  return answers.map((a) => a.response.elapsedMs);
}
