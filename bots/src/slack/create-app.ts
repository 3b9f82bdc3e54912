import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger, NotificationConsumer, NotificationJobData, VideoService } from '@reelsmith/core';
import { App, HTTPReceiver, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { SlackContext } from './context.js';
import { registerListeners } from './listeners/index.js';
import { createSlackNotifier } from './notifications.js';
import { createSlackCalls } from './slack-calls.js';

export interface SlackAppDeps {
  service: VideoService;
  log: Logger;
  botToken: string;
  /** Verifies every request of the HTTP receiver (unused in Socket Mode). */
  signingSecret: string;
  /** Web API base (`SLACK_API_URL`, ending in `/`); Slack's own by default. */
  apiUrl?: string | undefined;
  /** An app-level token (`xapp-…`): Socket Mode instead of the HTTP receiver. */
  appToken?: string | undefined;
  /** Starts consuming `notify-slack` with the app's handler (the app's notification consumer). */
  consumeNotifications?:
    | ((handle: (data: NotificationJobData) => Promise<void>) => Promise<NotificationConsumer>)
    | undefined;
  /** Least time between progress updates of one message, ms. Default 3000. */
  updateIntervalMs?: number;
  /** Least time between two posts in one channel, ms. Default 1000. */
  postIntervalMs?: number;
  /** Largest file uploaded into Slack; bigger ones are linked. Default 1 GB (Slack's limit). */
  maxUploadBytes?: number;
  /** Web API timeout of the notification consumer, ms. Default 30 000. */
  apiTimeoutMs?: number;
  /** Hosts whose file URLs get the bot token (Slack's file host by default). */
  fileHosts?: readonly string[];
  /** Extra health check for `GET /healthz` (the HTTP receiver answers it). */
  healthy?: () => boolean;
}

export interface SlackApp {
  /** The Bolt app, once started. */
  readonly app: App | undefined;
  /** Checks the token (`auth.test`), starts the receiver (HTTP on `port`, or Socket Mode), then the consumer. */
  start(listen?: { port: number; host?: string }): Promise<{ port?: number }>;
  close(): Promise<void>;
}

const REQUEST_PATH = '/slack/events';

/**
 * The Slack front: `/video`, the cards' buttons, the modals, `app_mention`, and the notification
 * consumer that posts progress and cards. It talks only to the VideoService and the notification
 * queue; `main.ts` reads the environment and wires both. Commands, actions, views and events all
 * arrive at `POST /slack/events`, each request's signature verified by Bolt (401 otherwise).
 */
export function createSlackApp(deps: SlackAppDeps): SlackApp {
  const { log } = deps;
  const fileHosts = deps.fileHosts ?? ['files.slack.com'];
  let app: App | undefined;
  let consumer: NotificationConsumer | undefined;
  let notifier: ReturnType<typeof createSlackNotifier> | undefined;

  // A burst of requests is acknowledged before any does its work: each listener acks, then waits
  // until no request that has arrived is still unanswered (at most 1 s); Slack's 3 s deadline is per
  // request. Over HTTP a request counts from its arrival at the server (before Bolt reads and checks
  // it) until its answer is sent; in Socket Mode from Bolt's first middleware until the listener acks.
  const gate = createAckGate();
  const currentRequest = new AsyncLocalStorage<() => void>();
  const ctx: SlackContext = {
    service: deps.service,
    log,
    botToken: deps.botToken,
    acked: () => gate.acked(currentRequest.getStore()),
  };

  return {
    get app() {
      return app;
    },
    async start(listen) {
      const auth = (await new WebClient(deps.botToken, {
        ...(deps.apiUrl ? { slackApiUrl: deps.apiUrl } : {}),
      }).auth.test()) as { bot_id?: string; user_id?: string };
      const logger = boltLogger(log);
      const receiver = deps.appToken
        ? new SocketModeReceiver({
            appToken: deps.appToken,
            logger,
            installerOptions: { clientOptions: deps.apiUrl ? { slackApiUrl: deps.apiUrl } : {} },
          })
        : new HTTPReceiver({
            signingSecret: deps.signingSecret,
            endpoints: REQUEST_PATH,
            logger,
            customRoutes: [
              {
                path: '/healthz',
                method: ['GET'],
                handler: (_req, res) => {
                  const ok = deps.healthy?.() ?? true;
                  res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ok }));
                },
              },
            ],
          });
      app = new App({
        token: deps.botToken,
        receiver,
        logger,
        tokenVerificationEnabled: false,
        ...(auth.bot_id ? { botId: auth.bot_id } : {}),
        ...(auth.user_id ? { botUserId: auth.user_id } : {}),
        ...(deps.apiUrl ? { clientOptions: { slackApiUrl: deps.apiUrl } } : {}),
      });
      if (deps.appToken) {
        app.use(async ({ next }) => {
          const settle = gate.enter();
          try {
            await currentRequest.run(settle, next);
          } finally {
            settle();
          }
        });
      }
      registerListeners(app, ctx, { fileHosts });
      app.error(async (error) => {
        log.error({ err: error }, 'slack listener failed');
      });
      let port: number | undefined;
      if (deps.appToken) await app.start();
      else {
        const server = (await app.start({ port: listen?.port ?? 3000, host: listen?.host ?? '0.0.0.0' })) as Server;
        server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
          const settle = gate.enter();
          res.once('finish', settle);
          res.once('close', settle);
        });
        port = (server.address() as AddressInfo).port;
      }
      if (deps.consumeNotifications) {
        notifier = createSlackNotifier({
          slack: createSlackCalls({ token: deps.botToken, apiUrl: deps.apiUrl, timeoutMs: deps.apiTimeoutMs, log }),
          service: deps.service,
          log,
          ...(deps.updateIntervalMs !== undefined ? { updateIntervalMs: deps.updateIntervalMs } : {}),
          ...(deps.postIntervalMs !== undefined ? { postIntervalMs: deps.postIntervalMs } : {}),
          ...(deps.maxUploadBytes !== undefined ? { maxUploadBytes: deps.maxUploadBytes } : {}),
        });
        consumer = await deps.consumeNotifications(notifier.handle);
      }
      return port === undefined ? {} : { port };
    },
    async close() {
      await consumer?.close();
      notifier?.close();
      await app?.stop();
    },
  };
}

/**
 * Counts requests not yet acknowledged; `acked(settle)` marks the caller's own request answered and
 * resolves once none has been left for `quietMs` (requests of a burst arrive over a few ms), or after
 * 1 s, so a stuck request cannot hold the others back.
 */
function createAckGate(quietMs = 30) {
  let unanswered = 0;
  let waiting: Array<() => void> = [];
  let quietTimer: NodeJS.Timeout | undefined;
  const release = () => {
    quietTimer = undefined;
    if (unanswered > 0) return;
    const wake = waiting;
    waiting = [];
    for (const resolve of wake) resolve();
  };
  return {
    enter(): () => void {
      unanswered += 1;
      clearTimeout(quietTimer);
      quietTimer = undefined;
      let counted = true;
      return () => {
        if (!counted) return;
        counted = false;
        unanswered -= 1;
        if (unanswered === 0 && waiting.length > 0) quietTimer = setTimeout(release, quietMs);
      };
    },
    acked(settle?: () => void): Promise<void> {
      settle?.();
      if (unanswered === 0 && !quietTimer) return Promise.resolve();
      return new Promise((resolve) => {
        waiting.push(resolve);
        if (unanswered === 0 && !quietTimer) quietTimer = setTimeout(release, quietMs);
        setTimeout(resolve, 1000).unref();
      });
    },
  };
}

/** Bolt's logger interface over ours (its debug chatter stays at debug). */
function boltLogger(log: Logger) {
  let level = LogLevel.INFO;
  return {
    debug: (...message: unknown[]) => log.debug({ bolt: message.map(String).join(' ') }, 'bolt'),
    info: (...message: unknown[]) => log.info({ bolt: message.map(String).join(' ') }, 'bolt'),
    warn: (...message: unknown[]) => log.warn({ bolt: message.map(String).join(' ') }, 'bolt'),
    error: (...message: unknown[]) => log.error({ bolt: message.map(String).join(' ') }, 'bolt'),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
