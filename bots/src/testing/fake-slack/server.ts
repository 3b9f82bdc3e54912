import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { makeCertificate } from '../../../../core/src/testing/tls.js';
import { type AppRequests, commandFields, createAppRequests } from './requests.js';
import type {
  FakeSlackFaults,
  FakeSlackFile,
  FakeSlackMessage,
  FakeSlackOptions,
  FakeSlackUser,
  FakeSlackView,
  RecordedCall,
  ResponseUrlPost,
} from './types.js';
import { messageProblems, viewProblems } from './validate.js';

const FILE_HOST = 'files.slack.test';
const JSON_ARGS = new Set(['blocks', 'attachments', 'metadata', 'files', 'view']);
const BOOLEAN_ARGS = new Set(['reply_broadcast', 'include_all_metadata', 'unfurl_links', 'unfurl_media']);
const RESPONSE_URL_USES = 5;
const TRIGGER_LIFETIME_MS = 3000;

export interface FakeSlack extends AppRequests {
  /** Web API base for `clientOptions.slackApiUrl` / `SLACK_API_URL` (ends with `/`). */
  apiUrl: string;
  botToken: string;
  appToken: string;
  signingSecret: string;
  teamId: string;
  channelId: string;
  botUserId: string;
  botId: string;
  /** The HTTPS host serving users' files (`url_private`), its port and its self-signed CA. */
  files: { host: string; port: number; ca: string };
  calls: RecordedCall[];
  responses: ResponseUrlPost[];
  views: FakeSlackView[];
  faults: FakeSlackFaults;
  /** Socket Mode: `/video <text>` as an envelope over the app's WebSocket; resolves with the app's ack. */
  socketCommand(
    text: string,
    options?: { user?: FakeSlackUser },
  ): Promise<{ ack: Record<string, unknown>; responseUrl: string; elapsedMs: number }>;
  /** Socket Mode connections open now. */
  socketConnections(): number;
  /** Where signed requests go: the app's `/slack/events` URL. */
  setAppUrl(url: string): void;
  /** Messages of a channel (top level, in order), or of a thread when `threadTs` is given (parent first). */
  messages(channel?: string, threadTs?: string): FakeSlackMessage[];
  message(channel: string, ts: string): FakeSlackMessage | undefined;
  ephemerals(): RecordedCall[];
  file(id: string): FakeSlackFile | undefined;
  uploadedFiles(): FakeSlackFile[];
  /** A file a user picked in a modal's file input (as the view state carries it), served from the file host. */
  userFile(name: string, mimetype: string, bytes: Buffer): Record<string, unknown>;
  callsOf(method: string): RecordedCall[];
  close(): Promise<void>;
}

/**
 * A loopback fake of Slack for Bolt and `@slack/web-api`: the Web API methods the app calls
 * (`auth.test`, `chat.postMessage`, `chat.update`, `chat.postEphemeral`, `views.open`, the
 * external upload flow with its upload URL, `files.info`, `conversations.history` and
 * `conversations.replies` with message metadata), `response_url` endpoints (5 uses each),
 * an HTTPS host for users' private files (bot token required), and the signed requests Slack
 * sends to the app (`requests.ts`). Blocks and views are validated as Slack does; a refusal is
 * Slack's `{ ok: false, error }` with the problems listed.
 */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const maxUploadBytes = options.maxUploadBytes ?? 1024 * 1024 * 1024;
  const botToken = `xoxb-fake-${randomBytes(8).toString('hex')}`;
  const appToken = `xapp-fake-${randomBytes(8).toString('hex')}`;
  const signingSecret = randomBytes(16).toString('hex');
  const teamId = 'T0FAKETEAM';
  const channelId = 'C0FAKECHAN';
  const botUserId = 'U0REELBOT';
  const botId = 'B0REELBOT';
  const calls: RecordedCall[] = [];
  const responses: ResponseUrlPost[] = [];
  const views: FakeSlackView[] = [];
  const messages: FakeSlackMessage[] = [];
  const files = new Map<string, FakeSlackFile>();
  const responseUrls = new Map<string, number>();
  const triggers = new Map<string, { at: number; used: boolean }>();
  const rateLimits = new Map<string, number>();
  const hangs = new Map<string, number>();
  let tsCounter = 0;
  let idCounter = 0;
  const newId = (prefix: string) => {
    idCounter += 1;
    return `${prefix}${String(idCounter).padStart(8, '0')}`;
  };
  const newTs = () => {
    tsCounter += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(tsCounter).padStart(6, '0')}`;
  };

  const certificate = makeCertificate([FILE_HOST]);
  const fileServer = createHttpsServer({ cert: certificate.cert, key: certificate.key }, (req, res) => {
    const id = (req.url ?? '').split('/')[2] ?? '';
    const file = files.get(id);
    if (req.headers.authorization !== `Bearer ${botToken}`) {
      res.writeHead(302, { location: 'https://slack.test/login' }).end();
      return;
    }
    if (!file?.bytes) {
      res.writeHead(404).end('file_not_found');
      return;
    }
    res.writeHead(200, { 'content-type': file.mimetype, 'content-length': file.bytes.length }).end(file.bytes);
  });
  await listen(fileServer);
  const filePort = (fileServer.address() as AddressInfo).port;

  let apiBase = '';
  const fileRecord = (name: string, mimetype: string, size: number): FakeSlackFile => {
    const id = newId('F');
    const url = `https://${FILE_HOST}:${filePort}/files-pri/${id}/${encodeURIComponent(name)}`;
    const file: FakeSlackFile = {
      id,
      name,
      mimetype,
      size,
      url_private: url,
      url_private_download: `${url}?download=1`,
      permalink: `https://fake.slack.test/files/${botUserId}/${id}/${encodeURIComponent(name)}`,
      shares: {},
      completed: false,
    };
    files.set(id, file);
    return file;
  };
  const fileJson = (file: FakeSlackFile) => {
    const { bytes: _bytes, shares, completed: _completed, ...rest } = file;
    const shared = Object.keys(shares);
    return {
      ...rest,
      channels: shared,
      shares:
        shared.length > 0
          ? { public: Object.fromEntries(shared.map((c) => [c, shares[c]?.map((ts) => ({ ts }))])) }
          : {},
    };
  };
  const postMessage = (args: Record<string, unknown>, extra: Partial<FakeSlackMessage> = {}): FakeSlackMessage => {
    const message: FakeSlackMessage = {
      channel: String(args.channel),
      ts: newTs(),
      user: botUserId,
      updates: [],
      ...(typeof args.thread_ts === 'string' ? { thread_ts: args.thread_ts } : {}),
      ...(typeof args.text === 'string' ? { text: args.text } : {}),
      ...(Array.isArray(args.blocks) ? { blocks: args.blocks as FakeSlackMessage['blocks'] } : {}),
      ...(args.metadata ? { metadata: args.metadata as FakeSlackMessage['metadata'] } : {}),
      ...(args.reply_broadcast === true ? { reply_broadcast: true } : {}),
      ...extra,
    };
    messages.push(message);
    return message;
  };
  const known = (channel: unknown) => typeof channel === 'string' && /^[CDG][A-Z0-9]+$/.test(channel);
  const messageJson = (message: FakeSlackMessage, withMetadata: boolean) => {
    const { channel: _c, updates: _u, metadata, ...rest } = message;
    return { type: 'message', ...rest, ...(withMetadata && metadata ? { metadata } : {}) };
  };

  type Answer = Record<string, unknown>;
  const methods: Record<string, (args: Record<string, unknown>) => Answer> = {
    'auth.test': () => ({
      url: 'https://fake.slack.test/',
      team: 'Fake',
      user: 'reelsmith',
      team_id: teamId,
      user_id: botUserId,
      bot_id: botId,
    }),
    'apps.connections.open': () => ({ url: `${apiBase.replace(/^http/, 'ws').replace(/api\/$/, '')}socket` }),
    'chat.postMessage': (args) => {
      if (!known(args.channel)) return { ok: false, error: 'channel_not_found' };
      const problems = messageProblems(args);
      if (problems.length > 0) return { ok: false, error: 'invalid_blocks', errors: problems };
      if (args.thread_ts !== undefined && !messages.some((m) => m.channel === args.channel && m.ts === args.thread_ts))
        return { ok: false, error: 'thread_not_found' };
      const message = postMessage(args);
      return { channel: message.channel, ts: message.ts, message: messageJson(message, true) };
    },
    'chat.update': (args) => {
      const message = messages.find((m) => m.channel === args.channel && m.ts === args.ts);
      if (!message) return { ok: false, error: 'message_not_found' };
      const problems = messageProblems(args);
      if (problems.length > 0) return { ok: false, error: 'invalid_blocks', errors: problems };
      if (typeof args.text === 'string') message.text = args.text;
      if (Array.isArray(args.blocks)) message.blocks = args.blocks as FakeSlackMessage['blocks'];
      if (args.metadata) message.metadata = args.metadata as FakeSlackMessage['metadata'];
      message.updates.push(Date.now());
      return { channel: message.channel, ts: message.ts };
    },
    'chat.postEphemeral': (args) => {
      if (!known(args.channel)) return { ok: false, error: 'channel_not_found' };
      if (typeof args.user !== 'string') return { ok: false, error: 'user_not_in_channel' };
      const problems = messageProblems(args);
      if (problems.length > 0) return { ok: false, error: 'invalid_blocks', errors: problems };
      return { message_ts: newTs() };
    },
    'views.open': (args) => {
      const trigger = triggers.get(String(args.trigger_id));
      if (!trigger) return { ok: false, error: 'invalid_trigger_id' };
      if (trigger.used || Date.now() - trigger.at > TRIGGER_LIFETIME_MS)
        return { ok: false, error: 'expired_trigger_id' };
      const problems = viewProblems(args.view);
      if (problems.length > 0)
        return { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems } };
      trigger.used = true;
      const view = { id: newId('V'), ...(args.view as Record<string, unknown>) };
      views.push({ id: view.id, trigger_id: String(args.trigger_id), view });
      return { view };
    },
    'files.getUploadURLExternal': (args) => {
      const length = Number(args.length);
      if (typeof args.filename !== 'string' || !args.filename) return { ok: false, error: 'invalid_arguments' };
      if (!Number.isInteger(length) || length <= 0) return { ok: false, error: 'invalid_arguments' };
      if (length > maxUploadBytes) return { ok: false, error: 'file_too_large' };
      const file = fileRecord(args.filename, 'application/octet-stream', length);
      return { upload_url: `${apiBase.replace(/api\/$/, '')}upload/${file.id}`, file_id: file.id };
    },
    'files.completeUploadExternal': (args) => {
      const list = args.files as Array<{ id: string; title?: string }> | undefined;
      if (!Array.isArray(list) || list.length === 0) return { ok: false, error: 'invalid_arguments' };
      const found = list.map((entry) => files.get(entry.id));
      if (found.some((file) => !file?.bytes)) return { ok: false, error: 'file_not_found' };
      if (found.some((file) => file?.completed)) return { ok: false, error: 'already_completed' };
      const channel = args.channel_id;
      if (channel !== undefined && !known(channel)) return { ok: false, error: 'channel_not_found' };
      if (args.blocks !== undefined && args.initial_comment !== undefined)
        return { ok: false, error: 'invalid_arguments', detail: 'blocks and initial_comment are exclusive' };
      let message: FakeSlackMessage | undefined;
      if (typeof channel === 'string') {
        message = postMessage(
          { channel, thread_ts: args.thread_ts, text: args.initial_comment ?? '', blocks: args.blocks },
          { files: list.map((entry) => entry.id) },
        );
      }
      for (const [i, file] of found.entries()) {
        if (!file) continue;
        file.completed = true;
        const title = list[i]?.title;
        if (title) file.title = title;
        if (message) file.shares[message.channel] = [...(file.shares[message.channel] ?? []), message.ts];
      }
      return { files: found.map((file) => ({ id: file?.id, title: file?.title ?? file?.name })) };
    },
    'files.info': (args) => {
      const file = files.get(String(args.file));
      if (!file?.bytes) return { ok: false, error: 'file_not_found' };
      return { file: fileJson(file) };
    },
    'conversations.history': (args) => {
      const oldest = Number(args.oldest ?? 0);
      const found = messages
        .filter((m) => m.channel === args.channel && (!m.thread_ts || m.reply_broadcast) && Number(m.ts) >= oldest)
        .reverse()
        .map((m) => messageJson(m, args.include_all_metadata === true));
      return { messages: found, has_more: false };
    },
    'conversations.replies': (args) => {
      const found = messages
        .filter((m) => m.channel === args.channel && (m.ts === args.ts || m.thread_ts === args.ts))
        .map((m) => messageJson(m, args.include_all_metadata === true));
      if (found.length === 0) return { ok: false, error: 'thread_not_found' };
      return { messages: found, has_more: false };
    },
  };

  const api = createHttpServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    try {
      const body = await readBody(req);
      if (url.pathname.startsWith('/upload/')) return upload(url.pathname.slice('/upload/'.length), body, res);
      if (url.pathname.startsWith('/response/')) return respondUrl(url.pathname, body, res);
      if (!url.pathname.startsWith('/api/')) return void res.writeHead(404).end();
      const method = url.pathname.slice('/api/'.length);
      const args = parseArgs(body, req.headers['content-type']);
      const handler = methods[method];
      const token = req.headers.authorization?.replace(/^Bearer /, '') ?? String(args.token ?? '');
      const limited = rateLimits.get(method);
      if (limited !== undefined) {
        rateLimits.delete(method);
        calls.push({ method, args, at: Date.now(), ok: false, error: 'ratelimited' });
        res.writeHead(429, { 'retry-after': String(limited), 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
      let answer: Answer;
      if (!handler) answer = { ok: false, error: 'unknown_method' };
      else if (token !== (method === 'apps.connections.open' ? appToken : botToken))
        answer = { ok: false, error: method === 'apps.connections.open' ? 'not_allowed_token_type' : 'invalid_auth' };
      else answer = { ok: true, ...handler(args) };
      const call: RecordedCall = {
        method,
        args,
        at: Date.now(),
        ok: answer.ok === true,
        ...(answer.ok === true ? {} : { error: String(answer.error) }),
      };
      calls.push(call);
      const hang = hangs.get(method);
      if (hang !== undefined) {
        hangs.delete(method);
        let gone = false;
        res.once('close', () => {
          gone = true;
        });
        await new Promise((resolve) => setTimeout(resolve, hang));
        call.abandoned = gone;
      }
      if (!res.destroyed) json(res, 200, answer);
    } catch (error) {
      if (!res.destroyed) json(res, 400, { ok: false, error: 'invalid_request', detail: String(error) });
    }
  });
  function upload(id: string, body: Buffer, res: ServerResponse) {
    const file = files.get(id);
    if (!file) return void res.writeHead(404).end('not_found');
    if (body.length !== file.size) return void res.writeHead(400).end(`length ${body.length} ≠ ${file.size}`);
    file.bytes = body;
    file.mimetype = sniff(body);
    calls.push({ method: 'upload', args: { file: id, bytes: body.length }, at: Date.now(), ok: true });
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${body.length}`);
  }
  function respondUrl(path: string, body: Buffer, res: ServerResponse) {
    const used = responseUrls.get(path);
    if (used === undefined) return void res.writeHead(404).end('no_such_url');
    if (used >= RESPONSE_URL_USES) return void json(res, 404, { ok: false, error: 'used_url' });
    responseUrls.set(path, used + 1);
    const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    const problems = messageProblems(parsed);
    if (problems.length > 0) return void json(res, 400, { ok: false, error: 'invalid_blocks', errors: problems });
    responses.push({ responseUrl: `${apiBase.replace(/api\/$/, '')}${path.slice(1)}`, body: parsed, at: Date.now() });
    json(res, 200, { ok: true });
  }
  const sockets = new Set<WebSocket>();
  const envelopes = new Map<string, (payload: Record<string, unknown>) => void>();
  const socketServer = new WebSocketServer({ server: api, path: '/socket' });
  socketServer.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { envelope_id?: string; payload?: Record<string, unknown> };
      if (message.envelope_id) envelopes.get(message.envelope_id)?.(message.payload ?? {});
    });
    socket.send(
      JSON.stringify({ type: 'hello', num_connections: sockets.size, connection_info: { app_id: 'A0REELSMITH' } }),
    );
  });
  await listen(api);
  const apiPort = (api.address() as AddressInfo).port;
  apiBase = `http://127.0.0.1:${apiPort}/api/`;
  const root = `http://127.0.0.1:${apiPort}/`;

  let appUrl = '';
  const requestsDeps = {
    signingSecret,
    teamId,
    channelId,
    appUrl: () => appUrl,
    newResponseUrl: () => {
      const path = `/response/${newId('R')}`;
      responseUrls.set(path, 0);
      return `${root}${path.slice(1)}`;
    },
    newTrigger: () => {
      const id = `${Date.now()}.${newId('TR')}`;
      triggers.set(id, { at: Date.now(), used: false });
      return id;
    },
  };
  const requests = createAppRequests(requestsDeps);

  return {
    ...requests,
    apiUrl: apiBase,
    botToken,
    appToken,
    signingSecret,
    teamId,
    channelId,
    botUserId,
    botId,
    files: { host: FILE_HOST, port: filePort, ca: certificate.cert },
    calls,
    responses,
    views,
    faults: {
      rateLimitNext: (method, retryAfterS = 1) => void rateLimits.set(method, retryAfterS),
      hangNext: (method, ms) => void hangs.set(method, ms),
    },
    socketCommand(text, options = {}) {
      const [socket] = sockets;
      if (!socket) return Promise.reject(new Error('no Socket Mode connection'));
      const { fields, responseUrl } = commandFields(
        { teamId, channelId, newResponseUrl: requestsDeps.newResponseUrl, newTrigger: requestsDeps.newTrigger },
        text,
        options,
      );
      const envelopeId = newId('E');
      const started = performance.now();
      return new Promise((resolve) => {
        envelopes.set(envelopeId, (ack) => {
          envelopes.delete(envelopeId);
          resolve({ ack, responseUrl, elapsedMs: performance.now() - started });
        });
        socket.send(
          JSON.stringify({
            envelope_id: envelopeId,
            type: 'slash_commands',
            payload: fields,
            accepts_response_payload: true,
          }),
        );
      });
    },
    socketConnections: () => sockets.size,
    setAppUrl(url) {
      appUrl = url;
    },
    messages: (channel = channelId, threadTs) =>
      messages.filter((m) => {
        if (m.channel !== channel) return false;
        return threadTs ? m.ts === threadTs || m.thread_ts === threadTs : !m.thread_ts;
      }),
    message: (channel, ts) => messages.find((m) => m.channel === channel && m.ts === ts),
    ephemerals: () => calls.filter((call) => call.method === 'chat.postEphemeral' && call.ok),
    file: (id) => files.get(id),
    uploadedFiles: () => [...files.values()].filter((file) => file.completed),
    userFile(name, mimetype, bytes) {
      const file = fileRecord(name, mimetype, bytes.length);
      file.bytes = bytes;
      file.completed = true;
      return fileJson(file);
    },
    callsOf: (method) => calls.filter((call) => call.method === method),
    async close() {
      for (const socket of sockets) socket.terminate();
      socketServer.close();
      api.closeAllConnections();
      fileServer.closeAllConnections();
      await Promise.all([new Promise((r) => api.close(r)), new Promise((r) => fileServer.close(r))]);
    },
  };
}

export type { AppRequests };

function parseArgs(body: Buffer, contentType: string | undefined): Record<string, unknown> {
  const text = body.toString('utf8');
  const raw: Record<string, unknown> = contentType?.startsWith('application/json')
    ? (JSON.parse(text || '{}') as Record<string, unknown>)
    : Object.fromEntries(new URLSearchParams(text));
  for (const [key, value] of Object.entries(raw)) {
    if (JSON_ARGS.has(key) && typeof value === 'string') raw[key] = JSON.parse(value);
    if (BOOLEAN_ARGS.has(key) && typeof value === 'string') raw[key] = value === 'true';
  }
  return raw;
}

function sniff(bytes: Buffer): string {
  if (bytes.subarray(4, 8).toString('latin1') === 'ftyp') return 'video/mp4';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return 'application/octet-stream';
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function listen(server: Server | import('node:https').Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
}

export type { FakeSlackUser };
