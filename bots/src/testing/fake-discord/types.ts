import type { Component, MessagePayload } from './validate.js';

/** An attachment as Discord serves it (its `url` points at the fake's HTTPS CDN). */
export interface FakeAttachment {
  id: string;
  filename: string;
  size: number;
  content_type: string;
  url: string;
  proxy_url: string;
}

/** A message as the fake stores it. */
export interface FakeMessage {
  id: string;
  channel_id: string;
  author: { id: string; username: string; bot: boolean };
  content: string;
  components: Component[];
  embeds: unknown[];
  flags: number;
  attachments: FakeAttachment[];
  /** The thread started from this message, when there is one. */
  thread?: { id: string; name: string };
  edits: number;
  timestamp: string;
}

/** One REST request the fake received. */
export interface RecordedRequest {
  method: string;
  /** Without the `/api/v10` prefix, e.g. `/channels/123/messages`. */
  path: string;
  body: MessagePayload | Record<string, unknown> | undefined;
  files: Array<{ name: string; size: number; contentType: string }>;
  status: number;
  at: number;
}

/** A user as the fake sends them in interactions. */
export interface FakeUser {
  id: string;
  username: string;
}

/** What an interaction's first answer (its callback) said, and when. */
export interface InteractionCallback {
  type: number;
  data: Record<string, unknown> | undefined;
  at: number;
}

/** An interaction the fake dispatched, with everything the bot answered to it. */
export interface FakeInteraction {
  id: string;
  token: string;
  dispatchedAt: number;
  /** Resolves with the callback (ack, reply, modal, autocomplete choices). */
  callback: Promise<InteractionCallback>;
  /** The deferred or original reply's content as last edited through the webhook (`@original`). */
  original(): FakeMessage | undefined;
  /** Follow-up messages sent through the interaction's webhook. */
  followUps: FakeMessage[];
}

export interface FakeDiscordOptions {
  /** The upload limit Discord reports on interactions (`attachment_size_limit`). Default 10 MiB. */
  attachmentSizeLimit?: number;
  /**
   * Per-route buckets for channel writes (keyed by channel, method and route), announced in
   * `x-ratelimit-*` headers; a write to a spent bucket gets 429. Default: no limit.
   */
  rateLimit?: { limit: number; windowMs: number };
  /** Heartbeat interval sent in HELLO, ms. Default 5000. */
  heartbeatIntervalMs?: number;
}

export interface FakeDiscord {
  /** REST base for discord.js (`new Client({ rest: { api } })`), `http://127.0.0.1:PORT/api`. */
  readonly apiUrl: string;
  readonly botToken: string;
  readonly applicationId: string;
  readonly botUser: FakeUser;
  readonly guildId: string;
  readonly channelId: string;
  /** The HTTPS CDN: its host name (resolve it to 127.0.0.1), port and trust anchor. */
  readonly cdn: { host: string; port: number; ca: string };
  readonly attachmentSizeLimit: number;
  /**
   * Runtime-settable faults: refuse threads (403), answer the next `rateLimitNext` channel writes
   * with 429 and `retry_after: retryAfterS`.
   */
  readonly faults: { forbidThreads: boolean; rateLimitNext: number; retryAfterS: number };
  /** Requests answered 429 (a spent bucket, or a forced one). */
  rateLimited(): RecordedRequest[];
  /** Every REST request so far, oldest first. */
  requests(): RecordedRequest[];
  /** Messages of a channel (or thread), oldest first. */
  messages(channelId?: string): FakeMessage[];
  message(id: string): FakeMessage | undefined;
  /** The bytes of an uploaded (or CDN-added) attachment. */
  attachmentBytes(url: string): Buffer | undefined;
  /** Commands registered: `global`, or per guild id. */
  commands(scope?: string): Array<Record<string, unknown>>;
  /** Puts a file on the CDN, as a user's upload to a slash command would be. */
  addAttachment(bytes: Uint8Array, filename: string, contentType: string): FakeAttachment;
  /** Resolves once a client identified and got READY (it may then receive interactions). */
  ready(): Promise<void>;
  /** Dispatches INTERACTION_CREATE built from `data` (see `interactions.ts`). */
  interact(raw: Record<string, unknown>): FakeInteraction;
  /** Drops the gateway connection (the client reconnects, as after a Discord outage). */
  disconnectClients(): void;
  close(): Promise<void>;
}
