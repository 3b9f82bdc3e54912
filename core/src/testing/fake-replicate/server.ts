import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelSpec } from '../../models/types.js';
import { handleCreate } from './create-prediction.js';
import { createFaults, takeCounted } from './faults.js';
import { BodyTooLargeError, readBody, sendFile, sendJson, sendProblem } from './http-util.js';
import { createInputFileResolver } from './input-files.js';
import { createModelTable } from './model-table.js';
import { PredictionStore } from './store.js';
import type { FakeReplicate, FakeReplicateOptions } from './types.js';
import { createUploadStore, type UploadStore } from './uploads.js';
import { createWebhookSecret } from './webhooks.js';

const MAX_BODY_BYTES = 200 * 1024 * 1024;

interface Deps {
  origin: string;
  apiToken: string;
  store: PredictionStore;
  uploads: UploadStore;
  listPageSize: number;
  create: Parameters<typeof handleCreate>[0];
  requests: Array<{ method: string; path: string; at: number; status: number }>;
}

/**
 * Starts a fake of Replicate's HTTP API on loopback (see `FakeReplicateOptions` and `FakeFaults`):
 * predictions (official and versioned creates, get, list newest first with `next`, cancel), the
 * files API, bearer auth, `Prefer: wait`, signed webhooks, real ffmpeg-made outputs served from
 * `/files/…`, billing from the registry prices, and runtime-settable faults. `close()` stops every
 * lifecycle and removes the fake's files.
 */
export async function startFakeReplicate(options: FakeReplicateOptions): Promise<FakeReplicate> {
  const specs: readonly ModelSpec[] = 'list' in options.models ? options.models.list() : options.models;
  const dataDir = await mkdtemp(join(tmpdir(), 'fake-replicate-'));
  const faults = createFaults(options.faults);
  const log = options.log ?? (() => {});
  const apiToken = options.apiToken ?? 'r8_fake_token';
  const webhookSecret = options.webhookSecret ?? createWebhookSecret();
  const requests: Deps['requests'] = [];
  let deps: Deps | undefined;
  const server = createServer((req, res) => {
    if (!deps) return sendProblem(res, 503, 'Starting', 'The fake is starting.');
    route(deps, req, res).catch((error) => {
      log(`request failed: ${String(error)}`);
      if (!res.headersSent) sendProblem(res, 500, 'Internal error', String(error));
      else res.destroy();
    });
  });
  const origin = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const uploads = createUploadStore(dataDir, origin);
  await mkdir(join(dataDir, 'inputs'), { recursive: true });
  const files = createInputFileResolver(join(dataDir, 'inputs'), (url) => uploads.pathOfUrl(url));
  const store = new PredictionStore({ origin, dataDir, files, faults, webhookSecret, log });
  const stepLatencyMs = options.stepLatencyMs ?? 50;
  const models = createModelTable(specs);
  deps = {
    origin,
    apiToken,
    store,
    uploads,
    listPageSize: options.listPageSize ?? 100,
    create: { models, store, faults, stepLatencyMs, log },
    requests,
  };
  return {
    url: `${origin}/v1`,
    apiToken,
    webhookSecret,
    faults,
    predictions: () => store.info(),
    billedUsd: () => Math.round(store.billedUsd() * 1e6) / 1e6,
    requests: () => requests.map((entry) => ({ ...entry })),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Starts listening; resolves with the server's origin (`http://HOST:PORT`). */
async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
}

async function route(deps: Deps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', deps.origin);
  const path = url.pathname.replace(/\/+$/, '');
  const method = req.method ?? 'GET';
  const segments = path.split('/').filter(Boolean);
  if (method === 'GET' && segments[0] === 'files' && segments[1] === 'outputs' && segments.length === 4) {
    const index = Number.parseInt(segments[3] ?? '', 10);
    return sendFile(res, deps.store.outputFile(segments[2] ?? '', index));
  }
  if (method === 'GET' && segments[0] === 'files' && segments[1] === 'uploads' && segments.length === 4) {
    return sendFile(res, deps.uploads.pathOf(segments[2] ?? ''));
  }
  if (segments[0] !== 'v1') return sendProblem(res, 404, 'Not found', `No route for ${path}`);
  const entry = { method, path, at: Date.now(), status: 0 };
  deps.requests.push(entry);
  res.once('finish', () => {
    entry.status = res.statusCode;
  });
  res.setHeader('x-request-id', `req_${randomBytes(8).toString('hex')}`);
  if (req.headers.authorization !== `Bearer ${deps.apiToken}`) {
    return sendProblem(res, 401, 'Unauthenticated', 'You did not pass a valid authentication token');
  }
  const serverError = takeCounted([deps.create.faults.global], 'serverErrors');
  if (serverError) {
    return sendProblem(
      res,
      serverError.status ?? 503,
      'Service unavailable',
      'The service is temporarily unavailable.',
    );
  }
  return routeApi(deps, req, res, method, segments.slice(1), url);
}

async function routeApi(
  deps: Deps,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  segments: string[],
  url: URL,
): Promise<void> {
  const [head, id, action] = segments;
  if (method === 'POST' && head === 'models' && segments.length === 4 && segments[3] === 'predictions') {
    const body = await readJson(req, res);
    if (body === INVALID) return;
    return handleCreate(deps.create, req, res, body, `${segments[1]}/${segments[2]}`);
  }
  if (head === 'predictions') {
    if (method === 'POST' && segments.length === 1) {
      const body = await readJson(req, res);
      if (body === INVALID) return;
      return handleCreate(deps.create, req, res, body, undefined);
    }
    if (method === 'GET' && segments.length === 1) return listPredictions(deps, res, url);
    const record = id ? deps.store.get(id) : undefined;
    if (!record) return sendProblem(res, 404, 'Not found', 'The requested prediction does not exist.');
    if (method === 'GET' && segments.length === 2) return sendJson(res, 200, deps.store.view(record));
    if (method === 'POST' && action === 'cancel' && segments.length === 3) {
      deps.store.cancel(record);
      return sendJson(res, 200, deps.store.view(record));
    }
  }
  if (head === 'files') return routeFiles(deps, req, res, method, id);
  return sendProblem(res, 404, 'Not found', `No route for ${method} /v1/${segments.join('/')}`);
}

async function routeFiles(
  deps: Deps,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  id: string | undefined,
): Promise<void> {
  if (method === 'POST' && id === undefined) {
    const contentType = req.headers['content-type'] ?? '';
    if (!contentType.startsWith('multipart/form-data')) {
      return sendProblem(res, 400, 'Bad request', 'Expected a multipart/form-data body.');
    }
    const body = await readBody(req, MAX_BODY_BYTES);
    const file = await deps.uploads.save(contentType, body);
    if (!file) return sendProblem(res, 422, 'Input validation failed', 'content is required.');
    return sendJson(res, 201, file);
  }
  const file = method === 'GET' && id ? deps.uploads.get(id) : undefined;
  if (file) return sendJson(res, 200, file);
  return sendProblem(res, 404, 'Not found', 'The requested file does not exist.');
}

function listPredictions(deps: Deps, res: ServerResponse, url: URL): void {
  const all = deps.store.newestFirst();
  const offset = Math.max(0, Number.parseInt(url.searchParams.get('cursor') ?? '0', 10) || 0);
  const page = all.slice(offset, offset + deps.listPageSize);
  const more = offset + deps.listPageSize < all.length;
  sendJson(res, 200, {
    previous: null,
    next: more ? `${deps.origin}/v1/predictions?cursor=${offset + deps.listPageSize}` : null,
    results: page.map((record) => deps.store.view(record)),
  });
}

const INVALID = Symbol('invalid');

async function readJson(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  try {
    const body = await readBody(req, MAX_BODY_BYTES);
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    if (error instanceof BodyTooLargeError) sendProblem(res, 413, 'Too large', error.message);
    else sendProblem(res, 400, 'Bad request', 'The request body is not valid JSON.');
    return INVALID;
  }
}
