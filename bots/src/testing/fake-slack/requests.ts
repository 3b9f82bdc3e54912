import { createHmac } from 'node:crypto';
import type { AppResponse, FakeSlackMessage, FakeSlackUser, FakeSlackView } from './types.js';

export const ADA_SLACK: FakeSlackUser = { id: 'U0ADA00001', name: 'ada' };

/** Overrides for one signed request: a forged signature, a stale timestamp, extra headers. */
export interface SendOptions {
  timestamp?: number;
  signature?: string;
  headers?: Record<string, string>;
}

export interface AppRequests {
  /** `/video <text>` as Slack posts it (form-encoded, signed). */
  command(
    text: string,
    options?: { user?: FakeSlackUser; channel?: string; send?: SendOptions },
  ): Promise<{ response: AppResponse; responseUrl: string; triggerId: string }>;
  /** A click on the button `actionId` of `message`, with the value the button carries. */
  action(
    message: FakeSlackMessage,
    actionId: string,
    options?: { user?: FakeSlackUser; send?: SendOptions },
  ): Promise<{ response: AppResponse; responseUrl: string; triggerId: string }>;
  /** Submits a modal with `values` (block id → action id → state value). */
  submitView(
    view: FakeSlackView,
    values: Record<string, Record<string, Record<string, unknown>>>,
    options?: { user?: FakeSlackUser },
  ): Promise<AppResponse>;
  /** An Events API delivery; `retryNum` adds Slack's retry headers. */
  event(
    event: Record<string, unknown>,
    options: { eventId: string; retryNum?: number; send?: SendOptions },
  ): Promise<AppResponse>;
  /** Any body, signed (unless overridden), to the app's URL. */
  send(body: string, contentType: string, options?: SendOptions): Promise<AppResponse>;
}

export interface Deps {
  signingSecret: string;
  teamId: string;
  channelId: string;
  appUrl(): string;
  newResponseUrl(): string;
  newTrigger(): string;
}

/** Slack's request signature: `v0=` HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret. */
export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** The requests Slack sends to an app's Request URL, signed with Slack's real scheme. */
export function createAppRequests(deps: Deps): AppRequests {
  const userJson = (user: FakeSlackUser) => ({
    id: user.id,
    username: user.name,
    name: user.name,
    team_id: deps.teamId,
  });
  const send: AppRequests['send'] = async (body, contentType, options = {}) => {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const started = performance.now();
    const res = await fetch(deps.appUrl(), {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': options.signature ?? slackSignature(deps.signingSecret, timestamp, body),
        ...options.headers,
      },
      body,
    });
    const text = await res.text();
    const elapsedMs = performance.now() - started;
    let json: Record<string, unknown> | undefined;
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, text, elapsedMs, ...(json ? { json } : {}) };
  };
  const interactive = (payload: Record<string, unknown>, options?: SendOptions) =>
    send(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
      options,
    );

  return {
    send,
    async command(text, options = {}) {
      const { fields, responseUrl, triggerId } = commandFields(deps, text, options);
      const body = new URLSearchParams(fields).toString();
      const response = await send(body, 'application/x-www-form-urlencoded', options.send);
      return { response, responseUrl, triggerId };
    },
    async action(message, actionId, options = {}) {
      const user = options.user ?? ADA_SLACK;
      const found = findButton(message, actionId);
      if (!found) throw new Error(`no button ${actionId} on message ${message.ts}`);
      const responseUrl = deps.newResponseUrl();
      const triggerId = deps.newTrigger();
      const response = await interactive(
        {
          type: 'block_actions',
          user: userJson(user),
          api_app_id: 'A0REELSMITH',
          token: 'deprecated-verification-token',
          container: {
            type: 'message',
            message_ts: message.ts,
            channel_id: message.channel,
            is_ephemeral: false,
            ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
          },
          trigger_id: triggerId,
          team: { id: deps.teamId, domain: 'fake' },
          enterprise: null,
          is_enterprise_install: false,
          channel: { id: message.channel, name: 'general' },
          message: { type: 'message', ts: message.ts, text: message.text, blocks: message.blocks },
          state: { values: {} },
          response_url: responseUrl,
          actions: [
            {
              type: 'button',
              action_id: actionId,
              block_id: found.blockId,
              text: found.button.text,
              value: found.button.value,
              action_ts: `${Date.now() / 1000}`,
            },
          ],
        },
        options.send,
      );
      return { response, responseUrl, triggerId };
    },
    submitView(view, values, options = {}) {
      const user = options.user ?? ADA_SLACK;
      return interactive({
        type: 'view_submission',
        team: { id: deps.teamId, domain: 'fake' },
        user: userJson(user),
        api_app_id: 'A0REELSMITH',
        token: 'deprecated-verification-token',
        trigger_id: deps.newTrigger(),
        view: { ...view.view, id: view.id, team_id: deps.teamId, state: { values }, hash: `${Date.now()}.hash` },
        response_urls: [],
        is_enterprise_install: false,
        enterprise: null,
      });
    },
    event(event, options) {
      const body = JSON.stringify({
        token: 'deprecated-verification-token',
        team_id: deps.teamId,
        api_app_id: 'A0REELSMITH',
        event,
        type: 'event_callback',
        event_id: options.eventId,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ team_id: deps.teamId, user_id: 'U0REELBOT', is_bot: true }],
        is_ext_shared_channel: false,
      });
      const retry: Record<string, string> = options.retryNum
        ? { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' }
        : {};
      return send(body, 'application/json', { ...options.send, headers: { ...retry, ...options.send?.headers } });
    },
  };
}

/** The fields Slack sends for a slash command (form-encoded over HTTP, a JSON object over Socket Mode). */
export function commandFields(
  deps: Pick<Deps, 'teamId' | 'channelId' | 'newResponseUrl' | 'newTrigger'>,
  text: string,
  options: { user?: FakeSlackUser; channel?: string } = {},
): { fields: Record<string, string>; responseUrl: string; triggerId: string } {
  const user = options.user ?? ADA_SLACK;
  const responseUrl = deps.newResponseUrl();
  const triggerId = deps.newTrigger();
  const fields = {
    token: 'deprecated-verification-token',
    team_id: deps.teamId,
    team_domain: 'fake',
    channel_id: options.channel ?? deps.channelId,
    channel_name: 'general',
    user_id: user.id,
    user_name: user.name,
    command: '/video',
    text,
    api_app_id: 'A0REELSMITH',
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: triggerId,
  };
  return { fields, responseUrl, triggerId };
}

/** The button with `actionId` on a message, and its block's id. */
export function findButton(
  message: Pick<FakeSlackMessage, 'blocks'>,
  actionId: string,
): { blockId: string | undefined; button: Record<string, unknown> } | undefined {
  for (const block of message.blocks ?? []) {
    const elements = (block.elements as Array<Record<string, unknown>> | undefined) ?? [];
    const candidates = [...elements, ...(block.accessory ? [block.accessory as Record<string, unknown>] : [])];
    const button = candidates.find((element) => element.type === 'button' && element.action_id === actionId);
    if (button) return { blockId: block.block_id as string | undefined, button };
  }
  return undefined;
}

/** Every action id on a message's buttons. */
export function actionIds(message: Pick<FakeSlackMessage, 'blocks'>): string[] {
  return (message.blocks ?? []).flatMap((block) =>
    [...((block.elements as Array<Record<string, unknown>> | undefined) ?? []), block.accessory]
      .filter(
        (element): element is Record<string, unknown> =>
          Boolean(element) && (element as { type?: string }).type === 'button',
      )
      .map((element) => String(element.action_id)),
  );
}

/** All text of a message: its `text` and every text object in its blocks. */
export function slackText(message: Pick<FakeSlackMessage, 'text' | 'blocks'>): string {
  const texts: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      if ((object.type === 'mrkdwn' || object.type === 'plain_text') && typeof object.text === 'string')
        texts.push(object.text);
      else for (const child of Object.values(object)) walk(child);
    }
  };
  walk(message.blocks ?? []);
  return [message.text ?? '', ...texts].filter(Boolean).join('\n');
}
