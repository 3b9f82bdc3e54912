import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { makeCertificate } from '../../../../core/src/testing/tls.js';
import type {
  FakeAttachment,
  FakeDiscord,
  FakeDiscordOptions,
  FakeInteraction,
  FakeMessage,
  InteractionCallback,
  RecordedRequest,
} from './types.js';
import { commandProblems, type MessagePayload, messageProblems, modalProblems } from './validate.js';

const CDN_HOST = 'cdn.discord.test';
const MAX_REQUEST_BYTES = 25 * 1024 * 1024;
let nextSnowflake = BigInt(Date.now()) << 22n;
const snowflake = () => {
  nextSnowflake += 1n;
  return nextSnowflake.toString();
};

interface PendingInteraction {
  record: FakeInteraction;
  resolve(callback: InteractionCallback): void;
  channelId: string;
  original?: FakeMessage;
}

/**
 * A loopback fake of Discord for discord.js: the gateway (HELLO, IDENTIFY → READY, heartbeats,
 * INTERACTION_CREATE dispatch) over WebSocket, the REST routes a bot uses (gateway info,
 * interaction callbacks, the interaction webhook, channel messages with multipart uploads,
 * message edits, threads from messages, command registration), and an HTTPS CDN for attachments.
 * Payloads are validated as Discord does (component limits, Components V2 rules, custom_id
 * lengths, upload sizes, modal and command shapes); a refusal answers 400 in Discord's error shape.
 */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const attachmentSizeLimit = options.attachmentSizeLimit ?? 10 * 1024 * 1024;
  const botToken = `fake.${randomBytes(12).toString('hex')}`;
  const applicationId = snowflake();
  const botUser = { id: applicationId, username: 'Reelsmith' };
  const guildId = snowflake();
  const channelId = snowflake();
  const faults = { forbidThreads: false, rateLimitNext: 0, retryAfterS: 0.3 };
  const buckets = new Map<string, { resetAt: number; used: number }>();
  const rateLimited: RecordedRequest[] = [];
  const nonces = new Map<string, FakeMessage>();
  const requests: RecordedRequest[] = [];
  const channels = new Map<string, FakeMessage[]>([[channelId, []]]);
  const blobs = new Map<string, Buffer>();
  const commands = new Map<string, Array<Record<string, unknown>>>();
  const interactions = new Map<string, PendingInteraction>();
  const sockets = new Set<WebSocket>();
  let sequence = 0;
  let readyResolve: () => void = () => {};
  let readyPromise = new Promise<void>((resolve) => {
    readyResolve = resolve;
  });

  const certificate = makeCertificate([CDN_HOST]);
  const cdnServer = createHttpsServer({ cert: certificate.cert, key: certificate.key }, (req, res) => {
    const bytes = blobs.get(new URL(req.url ?? '/', `https://${CDN_HOST}`).pathname);
    if (!bytes) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-length': bytes.length, 'content-type': 'application/octet-stream' }).end(bytes);
  });
  await listen(cdnServer);
  const cdnPort = (cdnServer.address() as AddressInfo).port;
  const cdnUrl = (path: string) => `https://${CDN_HOST}:${cdnPort}${path}`;

  const storeAttachment = (channel: string, name: string, bytes: Buffer, contentType: string): FakeAttachment => {
    const id = snowflake();
    const path = `/attachments/${channel}/${id}/${encodeURIComponent(name)}`;
    blobs.set(path, bytes);
    return {
      id,
      filename: name,
      size: bytes.length,
      content_type: contentType,
      url: cdnUrl(path),
      proxy_url: cdnUrl(path),
    };
  };

  const newMessage = (
    channel: string,
    payload: MessagePayload,
    files: UploadedFile[],
    author = botUser,
  ): FakeMessage => ({
    id: snowflake(),
    channel_id: channel,
    author: { ...author, bot: true },
    content: payload.content ?? '',
    components: payload.components ?? [],
    embeds: payload.embeds ?? [],
    flags: payload.flags ?? 0,
    attachments: files.map((file) => storeAttachment(channel, file.name, file.bytes, file.contentType)),
    edits: 0,
    timestamp: new Date().toISOString(),
  });

  const editMessage = (message: FakeMessage, payload: MessagePayload, files: UploadedFile[]) => {
    if (payload.content !== undefined) message.content = payload.content ?? '';
    if (payload.components !== undefined) message.components = payload.components;
    if (payload.embeds !== undefined) message.embeds = payload.embeds;
    if (payload.flags !== undefined) message.flags = payload.flags | (message.flags & (1 << 15));
    const added = files.map((file) => storeAttachment(message.channel_id, file.name, file.bytes, file.contentType));
    if (payload.attachments !== undefined) {
      const kept = new Set(payload.attachments.map((attachment) => String(attachment.id)));
      message.attachments = message.attachments.filter((attachment) => kept.has(attachment.id));
    }
    message.attachments.push(...added);
    message.edits += 1;
  };

  const dispatch = (t: string, d: unknown) => {
    sequence += 1;
    const frame = JSON.stringify({ op: 0, t, s: sequence, d });
    for (const socket of sockets) socket.send(frame);
  };

  /**
   * Discord's per-route buckets, for channel writes: `x-ratelimit-*` headers on every answer and a
   * 429 with `retry_after` (seconds) once a bucket is spent, or for the next `faults.rateLimitNext`
   * writes. Returns true when it answered 429.
   */
  const rateLimit = (bucketKey: string, res: ServerResponse): boolean => {
    const now = Date.now();
    const limits = options.rateLimit;
    const tooMany = (retryAfterS: number) => {
      const text = JSON.stringify({ message: 'You are being rate limited.', retry_after: retryAfterS, global: false });
      res.writeHead(429, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
        'retry-after': String(Math.ceil(retryAfterS)),
        'x-ratelimit-scope': 'user',
      });
      res.end(text);
      return true;
    };
    if (faults.rateLimitNext > 0) {
      faults.rateLimitNext -= 1;
      return tooMany(faults.retryAfterS);
    }
    if (!limits) return false;
    let bucket = buckets.get(bucketKey);
    if (!bucket || bucket.resetAt <= now) {
      bucket = { resetAt: now + limits.windowMs, used: 0 };
      buckets.set(bucketKey, bucket);
    }
    if (bucket.used >= limits.limit) return tooMany((bucket.resetAt - now) / 1000);
    bucket.used += 1;
    res.setHeader('x-ratelimit-limit', String(limits.limit));
    res.setHeader('x-ratelimit-remaining', String(limits.limit - bucket.used));
    res.setHeader('x-ratelimit-reset-after', ((bucket.resetAt - now) / 1000).toFixed(3));
    res.setHeader('x-ratelimit-reset', (bucket.resetAt / 1000).toFixed(3));
    res.setHeader('x-ratelimit-bucket', Buffer.from(bucketKey).toString('hex').slice(0, 32));
    return false;
  };

  const api = createHttpServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { message: String(error), code: 0 });
    });
  });
  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const path = url.pathname.replace(/^\/api\/v\d+/, '');
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    const record: RecordedRequest = { method, path, body: undefined, files: [], status: 0, at: Date.now() };
    requests.push(record);
    res.once('finish', () => {
      record.status = res.statusCode;
    });
    if (raw.length > MAX_REQUEST_BYTES) return send(res, 413, { message: 'Request entity too large', code: 40005 });
    const { payload, files } = await parsePayload(req, raw);
    record.body = payload;
    record.files = files.map((file) => ({ name: file.name, size: file.bytes.length, contentType: file.contentType }));
    const tooBig = files.find((file) => file.bytes.length > attachmentSizeLimit);
    if (tooBig) return send(res, 413, { message: `${tooBig.name} is larger than the upload limit`, code: 40005 });
    const segments = path
      .split('/')
      .filter(Boolean)
      .map((segment) => decodeURIComponent(segment));
    const needsBot = !['interactions', 'webhooks'].includes(segments[0] ?? '');
    if (needsBot && req.headers.authorization !== `Bot ${botToken}`)
      return send(res, 401, { message: '401: Unauthorized', code: 0 });
    if (segments[0] === 'channels' && method !== 'GET') {
      const limited = rateLimit(`${segments[1]}:${method}:${segments[2] ?? ''}`, res);
      if (limited) {
        rateLimited.push(record);
        return;
      }
    }
    const refuse = (problems: string[]) =>
      send(res, 400, {
        message: 'Invalid Form Body',
        code: 50035,
        errors: { _errors: problems.map((message) => ({ code: 'BASE_TYPE_INVALID', message })) },
      });

    if (method === 'GET' && path === '/gateway/bot') {
      const address = api.address() as AddressInfo;
      return send(res, 200, {
        url: `ws://127.0.0.1:${address.port}/gateway`,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
      });
    }
    if (method === 'GET' && path === '/users/@me') return send(res, 200, { ...botUser, discriminator: '0', bot: true });
    if (method === 'GET' && path === '/applications/@me')
      return send(res, 200, { id: applicationId, flags: 0, name: 'Reelsmith' });
    if (segments[0] === 'interactions' && segments[3] === 'callback' && method === 'POST') {
      const pending = interactions.get(segments[1] ?? '');
      if (!pending || pending.record.token !== segments[2])
        return send(res, 404, { message: 'Unknown interaction', code: 10062 });
      const body = payload as { type: number; data?: Record<string, unknown> };
      const problems =
        body.type === 9
          ? modalProblems(body.data ?? {})
          : body.type === 4
            ? messageProblems(
                body.data ?? {},
                files.map((f) => f.name),
              )
            : [];
      if (problems.length > 0) return refuse(problems);
      if (body.type === 4) pending.original = newMessage(pending.channelId, body.data ?? {}, files);
      if (body.type === 5)
        pending.original = newMessage(pending.channelId, { content: '', flags: Number(body.data?.flags ?? 0) }, []);
      pending.resolve({ type: body.type, data: body.data, at: Date.now() });
      res.writeHead(204).end();
      return;
    }
    if (segments[0] === 'webhooks' && segments[1] === applicationId) {
      const pending = [...interactions.values()].find((entry) => entry.record.token === segments[2]);
      if (!pending) return send(res, 404, { message: 'Unknown Webhook', code: 10015 });
      const problems = messageProblems(
        payload as MessagePayload,
        files.map((f) => f.name),
      );
      if (segments[3] === 'messages' && segments[4] === '@original' && method === 'PATCH') {
        if (problems.length > 0) return refuse(problems);
        pending.original ??= newMessage(pending.channelId, {}, []);
        editMessage(pending.original, payload as MessagePayload, files);
        return send(res, 200, pending.original);
      }
      if (method === 'POST' && segments.length === 3) {
        if (problems.length > 0) return refuse(problems);
        const message = newMessage(pending.channelId, payload as MessagePayload, files);
        pending.record.followUps.push(message);
        return send(res, 200, message);
      }
    }
    if (segments[0] === 'channels' && segments[1]) {
      const channel = segments[1];
      const list = channels.get(channel);
      if (!list) return send(res, 404, { message: 'Unknown Channel', code: 10003 });
      if (method === 'GET' && segments.length === 2) {
        return send(res, 200, {
          id: channel,
          type: channel === channelId ? 0 : 11,
          guild_id: guildId,
          name: 'general',
        });
      }
      if (method === 'POST' && segments[2] === 'messages' && segments.length === 3) {
        const problems = messageProblems(
          payload as MessagePayload,
          files.map((f) => f.name),
        );
        if (problems.length > 0) return refuse(problems);
        // enforce_nonce: a repeat of a recent nonce by the same author answers the message already made.
        const { nonce, enforce_nonce: enforce } = payload as { nonce?: string; enforce_nonce?: boolean };
        const nonceKey = `${channel}:${nonce}`;
        const repeated = enforce && nonce !== undefined ? nonces.get(nonceKey) : undefined;
        if (repeated) return send(res, 200, repeated);
        const message = newMessage(channel, payload as MessagePayload, files);
        list.push(message);
        if (nonce !== undefined) nonces.set(nonceKey, message);
        return send(res, 200, message);
      }
      const message = list.find((candidate) => candidate.id === segments[3]);
      if (segments[2] === 'messages' && !message) return send(res, 404, { message: 'Unknown Message', code: 10008 });
      if (method === 'PATCH' && segments[2] === 'messages' && message && segments.length === 4) {
        const merged = {
          ...message,
          ...(payload as MessagePayload),
          content: (payload as MessagePayload).content ?? '',
        };
        const problems = messageProblems(merged as MessagePayload, [
          ...files.map((f) => f.name),
          ...message.attachments.map((a) => a.filename),
        ]);
        if (problems.length > 0) return refuse(problems);
        editMessage(message, payload as MessagePayload, files);
        return send(res, 200, message);
      }
      if (method === 'POST' && segments[2] === 'messages' && message && segments[4] === 'threads') {
        if (faults.forbidThreads) return send(res, 403, { message: 'Missing Permissions', code: 50013 });
        const id = snowflake();
        const name = String((payload as { name?: string }).name ?? 'thread');
        channels.set(id, []);
        message.thread = { id, name };
        return send(res, 201, { id, type: 11, parent_id: channel, guild_id: guildId, name, owner_id: botUser.id });
      }
    }
    if (segments[0] === 'applications' && segments[1] === applicationId && method === 'PUT') {
      const scope = segments[2] === 'guilds' ? (segments[3] ?? '') : 'global';
      const list = (payload as unknown as Array<Record<string, unknown>>) ?? [];
      const problems = list.flatMap((command) => commandProblems(command));
      if (problems.length > 0) return refuse(problems);
      const stored = list.map((command) => ({
        ...command,
        id: snowflake(),
        application_id: applicationId,
        version: '1',
      }));
      commands.set(scope, stored);
      return send(res, 200, stored);
    }
    return send(res, 404, { message: `404: Not Found (${method} ${path})`, code: 0 });
  };

  const gateway = new WebSocketServer({ noServer: true });
  api.on('upgrade', (req, socket, head) => {
    if (!req.url?.startsWith('/gateway')) return socket.destroy();
    gateway.handleUpgrade(req, socket, head, (ws) => gateway.emit('connection', ws));
  });
  gateway.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: options.heartbeatIntervalMs ?? 5000 } }));
    ws.on('message', (raw) => {
      const frame = JSON.parse(raw.toString()) as { op: number; d?: { token?: string } };
      if (frame.op === 1) ws.send(JSON.stringify({ op: 11 }));
      if (frame.op === 2) {
        if (frame.d?.token !== botToken) return ws.close(4004, 'Authentication failed.');
        sequence += 1;
        const address = api.address() as AddressInfo;
        ws.send(
          JSON.stringify({
            op: 0,
            t: 'READY',
            s: sequence,
            d: {
              v: 10,
              user: { ...botUser, discriminator: '0', bot: true, avatar: null, global_name: null, flags: 0 },
              guilds: [],
              session_id: randomBytes(8).toString('hex'),
              resume_gateway_url: `ws://127.0.0.1:${address.port}/gateway`,
              application: { id: applicationId, flags: 0 },
              private_channels: [],
              presences: [],
              relationships: [],
              guild_join_requests: [],
              user_settings: {},
              _trace: ['fake-discord'],
            },
          }),
        );
        readyResolve();
      }
    });
  });
  await listen(api);
  const { port } = api.address() as AddressInfo;

  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    botToken,
    applicationId,
    botUser,
    guildId,
    channelId,
    cdn: { host: CDN_HOST, port: cdnPort, ca: certificate.cert },
    attachmentSizeLimit,
    faults,
    requests: () => [...requests],
    rateLimited: () => [...rateLimited],
    messages: (id = channelId) => [...(channels.get(id) ?? [])],
    message: (id) => [...channels.values()].flat().find((message) => message.id === id),
    attachmentBytes: (url) => blobs.get(new URL(url).pathname),
    commands: (scope = 'global') => commands.get(scope) ?? [],
    addAttachment: (bytes, filename, contentType) =>
      storeAttachment(channelId, filename, Buffer.from(bytes), contentType),
    ready: () => readyPromise,
    interact(raw) {
      const id = snowflake();
      const token = `itoken.${randomBytes(16).toString('hex')}`;
      let resolve: (callback: InteractionCallback) => void = () => {};
      const callback = new Promise<InteractionCallback>((done) => {
        resolve = done;
      });
      const pending: PendingInteraction = {
        channelId: String((raw as { channel_id?: string }).channel_id ?? channelId),
        resolve: (value) => resolve(value),
        record: { id, token, dispatchedAt: Date.now(), callback, original: () => pending.original, followUps: [] },
      };
      interactions.set(id, pending);
      dispatch('INTERACTION_CREATE', { ...raw, id, token });
      return pending.record;
    },
    disconnectClients() {
      for (const socket of sockets) socket.close(4000, 'reconnect');
      readyPromise = new Promise<void>((resolve) => {
        readyResolve = resolve;
      });
    },
    async close() {
      for (const socket of sockets) socket.terminate();
      gateway.close();
      api.closeAllConnections();
      cdnServer.closeAllConnections();
      await Promise.all([new Promise((r) => api.close(r)), new Promise((r) => cdnServer.close(r))]);
    },
  };
}

interface UploadedFile {
  name: string;
  bytes: Buffer;
  contentType: string;
}

async function parsePayload(
  req: IncomingMessage,
  raw: Buffer,
): Promise<{ payload: MessagePayload; files: UploadedFile[] }> {
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { payload: {}, files: [] };
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const files: UploadedFile[] = [];
    let payload: MessagePayload = {};
    for (const [name, value] of form.entries()) {
      if (name === 'payload_json') payload = JSON.parse(String(value)) as MessagePayload;
      else if (typeof value !== 'string') {
        files.push({
          name: value.name,
          bytes: Buffer.from(await value.arrayBuffer()),
          contentType: value.type || 'application/octet-stream',
        });
      }
    }
    return { payload, files };
  }
  return { payload: JSON.parse(raw.toString('utf8')) as MessagePayload, files: [] };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function listen(server: Server | ReturnType<typeof createHttpsServer>): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
}
