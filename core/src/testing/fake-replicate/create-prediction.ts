import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { maxDelay, rulesFor, takeCounted, takeFailure, takeInvalidInput, takeReset, throttleBody } from './faults.js';
import { sendJson, sendProblem } from './http-util.js';
import type { FakeModel, ModelTable } from './model-table.js';
import type { PredictionStore } from './store.js';
import type { FakeFaults } from './types.js';

const PREFER_WAIT = /^wait(?:=(\d+))?$/;
const WEBHOOK_EVENTS = new Set(['start', 'output', 'logs', 'completed']);

export interface CreateDeps {
  models: ModelTable;
  store: PredictionStore;
  faults: FakeFaults;
  stepLatencyMs: number;
  log: (line: string) => void;
}

/**
 * `POST /v1/models/{owner}/{name}/predictions` (`modelName` given) or `POST /v1/predictions`
 * (`version` in the body). Applies create faults in Replicate's order (429, 5xx, 422), records and
 * starts the prediction, then answers 201, or destroys the socket (connection reset fault), or
 * holds the answer (`createResponseDelayMs`, `Prefer: wait=N`).
 */
export async function handleCreate(
  deps: CreateDeps,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  modelName: string | undefined,
): Promise<void> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    sendProblem(res, 400, 'Bad request', 'The request body must be a JSON object.');
    return;
  }
  const request = body as Record<string, unknown>;
  const model = findModel(deps.models, modelName, request.version);
  if (!model) {
    if (modelName) sendProblem(res, 404, 'Not found', `Model ${modelName} does not exist.`);
    else sendProblem(res, 422, 'Invalid version', 'Invalid version or not permitted.');
    return;
  }
  const rules = rulesFor(deps.faults, model.name);
  if (refusedByFault(deps, res, rules, model)) return;
  const input = request.input;
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    sendProblem(res, 422, 'Input validation failed', 'input is required and must be an object.');
    return;
  }
  const webhook = typeof request.webhook === 'string' ? request.webhook : undefined;
  const filter = Array.isArray(request.webhook_events_filter)
    ? request.webhook_events_filter.filter((event): event is string => WEBHOOK_EVENTS.has(String(event)))
    : undefined;
  const firstFrame = model.spec.params.firstFrame;
  const hasImage = firstFrame !== undefined && Boolean((input as Record<string, unknown>)[firstFrame]);
  const failure = takeFailure(rules, hasImage);
  const record = deps.store.create({
    model,
    input: input as Record<string, unknown>,
    ...(webhook ? { webhook } : {}),
    ...(filter ? { webhookEventsFilter: filter } : {}),
    ...(failure ? { failure } : {}),
    latencyMs: deps.stepLatencyMs + maxDelay(rules, 'latencyMs'),
  });
  if (takeReset(rules)) {
    deps.log(`fault: created ${record.wire.id}, then reset the connection`);
    req.socket.destroy();
    return;
  }
  const delayMs = maxDelay(rules, 'createResponseDelayMs');
  if (delayMs > 0) await sleep(delayMs);
  const waitS = preferWaitS(req.headers.prefer);
  if (waitS !== undefined) await deps.store.waitUntilDone(record, waitS * 1000);
  sendJson(res, 201, deps.store.view(record), { location: record.wire.urls.get });
}

function findModel(models: ModelTable, modelName: string | undefined, version: unknown): FakeModel | undefined {
  if (modelName) return models.byName(modelName);
  return typeof version === 'string' ? models.byVersion(version) : undefined;
}

function refusedByFault(
  deps: CreateDeps,
  res: ServerResponse,
  rules: ReturnType<typeof rulesFor>,
  model: FakeModel,
): boolean {
  const throttle = takeCounted(rules, 'throttle');
  if (throttle) {
    deps.log(`fault: 429 for a create of ${model.name}`);
    sendJson(res, 429, throttleBody(throttle.retryAfterS, throttle.style), {
      'retry-after': String(throttle.retryAfterS),
    });
    return true;
  }
  const serverError = takeCounted(rules.slice(0, -1), 'serverErrors');
  if (serverError) {
    deps.log(`fault: ${serverError.status ?? 503} for a create of ${model.name}`);
    sendProblem(res, serverError.status ?? 503, 'Service unavailable', 'The service is temporarily unavailable.');
    return true;
  }
  const invalid = takeInvalidInput(rules);
  if (invalid !== undefined) {
    sendJson(res, 422, { title: 'Input validation failed', detail: invalid, status: 422, invalid_fields: [] });
    return true;
  }
  return false;
}

/** Seconds asked by `Prefer: wait` / `wait=N` (1–60), else undefined. */
function preferWaitS(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value ? PREFER_WAIT.exec(value.trim()) : null;
  if (!match) return undefined;
  return Math.min(60, Math.max(1, Number(match[1] ?? 60)));
}
