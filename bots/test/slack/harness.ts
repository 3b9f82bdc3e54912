import type { Owner, VideoView } from '@reelsmith/core';
import { createLogger } from '../../../core/src/log.js';
import { createNotificationConsumer } from '../../../core/src/runners/queue/notification-consumer.js';
import { tableLookup } from '../../../core/test/assets/https-fixture.js';
import { createTestStack, type TestStack, type TestStackOptions } from '../../../core/test/helpers/pipeline.js';
import { createSlackApp, type SlackApp } from '../../src/slack/create-app.js';
import {
  ADA_SLACK,
  type FakeSlack,
  type FakeSlackMessage,
  type FakeSlackUser,
  slackText,
  startFakeSlack,
} from '../../src/testing/fake-slack/index.js';

export { eventually } from '../shared/eventually.js';
export { ADA_SLACK as ADA };
export const BOB: FakeSlackUser = { id: 'U0BOB00002', name: 'bob' };

export interface SlackHarness {
  fake: FakeSlack;
  stack: TestStack;
  app: SlackApp;
  owner(user?: FakeSlackUser): Owner;
  /** A video of Ada's on the `tiny` model, made through the service with this channel as its origin. */
  createVideo(prompt: string, durationS: number): Promise<VideoView>;
  /** Replaces the app with a fresh one (a restart): same Postgres, Redis and fake Slack. */
  restartApp(): Promise<void>;
  /** The channel's top-level message of a video (its progress message, then its final card). */
  videoMessage(videoId: string): FakeSlackMessage | undefined;
  /** The messages in a video's thread (without its parent). */
  thread(videoId: string): FakeSlackMessage[];
  close(): Promise<void>;
}

/**
 * The Slack app built with `createSlackApp` on its HTTP receiver on a loopback port, against the
 * fake Slack Web API, on the QueueRunner with a real worker (real Redis and Postgres), the
 * animatic, and the notification consumer. Users' files come from the fake's HTTPS file host.
 */
export async function startSlackHarness(
  options: {
    stack?: TestStackOptions;
    updateIntervalMs?: number;
    apiTimeoutMs?: number;
    socketMode?: boolean;
    maxUploadBytes?: number;
  } = {},
): Promise<SlackHarness> {
  const fake = await startFakeSlack();
  const { lookup } = tableLookup({ [fake.files.host]: '127.0.0.1' });
  const stack = await createTestStack({
    ...options.stack,
    runner: 'queue',
    remoteFetch: { lookup, isAllowedAddress: (address) => address === '127.0.0.1', ca: fake.files.ca },
  });
  const log = createLogger({ level: 'silent' });
  const runtime = stack.queue?.runtime;
  if (!runtime) throw new Error('queue stack expected');
  let port = 0;
  const newApp = () =>
    createSlackApp({
      service: stack.service,
      log,
      botToken: fake.botToken,
      signingSecret: fake.signingSecret,
      apiUrl: fake.apiUrl,
      fileHosts: [fake.files.host],
      updateIntervalMs: options.updateIntervalMs ?? 200,
      postIntervalMs: 0,
      ...(options.apiTimeoutMs ? { apiTimeoutMs: options.apiTimeoutMs } : {}),
      ...(options.socketMode ? { appToken: fake.appToken } : {}),
      ...(options.maxUploadBytes !== undefined ? { maxUploadBytes: options.maxUploadBytes } : {}),
      consumeNotifications: async (handle) =>
        createNotificationConsumer({ runtime, db: stack.database.db, log, queue: 'notify-slack', handle }),
    });
  const startApp = async (app: SlackApp) => {
    const started = await app.start({ port, host: '127.0.0.1' });
    if (options.socketMode) return;
    port = started.port ?? 0;
    fake.setAppUrl(`http://127.0.0.1:${port}/slack/events`);
  };
  const harness: SlackHarness = {
    fake,
    stack,
    app: newApp(),
    owner: (user = ADA_SLACK) => ({ platform: 'slack', platformUserId: `${fake.teamId}:${user.id}` }),
    createVideo: (prompt, durationS) =>
      stack.service.create(
        harness.owner(),
        { prompt, durationS, model: 'tiny' },
        { origin: { platform: 'slack', teamId: fake.teamId, channelId: fake.channelId } },
      ),
    async restartApp() {
      await harness.app.close();
      harness.app = newApp();
      await startApp(harness.app);
    },
    videoMessage: (videoId) =>
      fake.messages().find((message) => message.blocks && slackText(message).includes(videoId)),
    thread(videoId) {
      const parent = harness.videoMessage(videoId);
      return parent ? fake.messages(fake.channelId, parent.ts).filter((m) => m.ts !== parent.ts) : [];
    },
    async close() {
      await harness.app.close();
      await stack.close();
      await fake.close();
    },
  };
  await startApp(harness.app);
  return harness;
}

/** The video id in an ephemeral answer (`Video \`…\` started`). */
export function videoIdIn(text: string): string {
  const id = /`([0-9a-f-]{36})`/.exec(text)?.[1];
  if (!id) throw new Error(`no video id in “${text}”`);
  return id;
}
