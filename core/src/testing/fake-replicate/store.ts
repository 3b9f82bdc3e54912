import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { billedUsd } from './billing.js';
import type { InputFileResolver } from './input-files.js';
import type { FakeModel } from './model-table.js';
import { renderOutputs } from './render.js';
import type { FakeFaults, FakePredictionInfo, FakePredictionStatus, WirePrediction } from './types.js';
import { deliverWebhook } from './webhooks.js';

const TERMINAL: ReadonlySet<FakePredictionStatus> = new Set(['succeeded', 'failed', 'canceled']);

/** One prediction the fake holds: its wire form and what the lifecycle needs. */
export interface PredictionRecord {
  wire: WirePrediction;
  model: FakeModel;
  billedUsd: number;
  files: string[];
  failure: string | undefined;
  latencyMs: number;
  listeners: Set<() => void>;
}

/** What a create asks for, after the server has validated it and drawn its faults. */
export interface NewPrediction {
  model: FakeModel;
  input: Record<string, unknown>;
  webhook?: string;
  webhookEventsFilter?: string[];
  /** The error it will fail with (a fault), else it succeeds. */
  failure?: string;
  latencyMs: number;
}

export interface StoreDeps {
  /** `http://HOST:PORT` */
  origin: string;
  dataDir: string;
  files: InputFileResolver;
  faults: FakeFaults;
  webhookSecret: string;
  log: (line: string) => void;
}

/**
 * The fake's predictions and their lifecycle: `starting` → (latency) → `processing` → (latency,
 * render) → `succeeded` | `failed`, or `canceled` at any point before the end. Webhooks go out on
 * `start` and `completed` as the create's filter asks (all events when it gives none).
 */
export class PredictionStore {
  private readonly records = new Map<string, PredictionRecord>();
  private readonly running = new Set<Promise<void>>();
  private readonly stop = new AbortController();

  constructor(private readonly deps: StoreDeps) {}

  /** Records a new prediction (status `starting`) and starts its lifecycle. */
  create(params: NewPrediction): PredictionRecord {
    const id = randomBytes(16).toString('hex').slice(0, 26);
    const { origin } = this.deps;
    const wire: WirePrediction = {
      id,
      model: params.model.name,
      version: params.model.version,
      input: structuredClone(params.input),
      logs: '',
      output: null,
      data_removed: false,
      error: null,
      status: 'starting',
      source: 'api',
      created_at: new Date().toISOString(),
      started_at: null,
      completed_at: null,
      urls: {
        get: `${origin}/v1/predictions/${id}`,
        cancel: `${origin}/v1/predictions/${id}/cancel`,
        web: `${origin}/p/${id}`,
      },
      metrics: {},
      ...(params.webhook ? { webhook: params.webhook } : {}),
      ...(params.webhookEventsFilter ? { webhook_events_filter: params.webhookEventsFilter } : {}),
    };
    const record: PredictionRecord = {
      wire,
      model: params.model,
      billedUsd: 0,
      files: [],
      failure: params.failure,
      latencyMs: params.latencyMs,
      listeners: new Set(),
    };
    this.records.set(id, record);
    this.track(this.run(record).catch((error) => this.deps.log(`prediction ${id} stopped: ${String(error)}`)));
    return record;
  }

  get(id: string): PredictionRecord | undefined {
    return this.records.get(id);
  }

  newestFirst(): PredictionRecord[] {
    return [...this.records.values()].reverse();
  }

  info(): FakePredictionInfo[] {
    return [...this.records.values()].map((record) => ({
      ...structuredClone(record.wire),
      billedUsd: record.billedUsd,
    }));
  }

  billedUsd(): number {
    return [...this.records.values()].reduce((sum, record) => sum + record.billedUsd, 0);
  }

  /** The wire form as Replicate would answer now (input and output removed once expired). */
  view(record: PredictionRecord): WirePrediction {
    const wire = structuredClone(record.wire);
    return this.expired(wire) ? { ...wire, input: {}, output: null, data_removed: true } : wire;
  }

  /** Cancels a prediction that has not finished; a finished one is left as it is. */
  cancel(record: PredictionRecord): void {
    if (!TERMINAL.has(record.wire.status)) this.settle(record, { status: 'canceled' });
  }

  /** Resolves when `record` is finished or after `ms`, whichever comes first. */
  async waitUntilDone(record: PredictionRecord, ms: number): Promise<void> {
    if (TERMINAL.has(record.wire.status)) return;
    await new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        record.listeners.delete(onChange);
        resolve();
      };
      const onChange = () => {
        if (TERMINAL.has(record.wire.status)) finish();
      };
      const timer = setTimeout(finish, ms);
      record.listeners.add(onChange);
    });
  }

  /** The local file of output `index` of prediction `id`, unless there is none or it has expired. */
  outputFile(id: string, index: number): string | undefined {
    const record = this.records.get(id);
    if (!record || this.expired(record.wire)) return undefined;
    return record.files[index];
  }

  /** Stops every lifecycle and waits for renders and webhook deliveries to end. */
  async close(): Promise<void> {
    this.stop.abort();
    await Promise.allSettled([...this.running]);
  }

  private expired(wire: WirePrediction): boolean {
    return wire.completed_at !== null && Date.now() - Date.parse(wire.completed_at) >= this.deps.faults.outputTtlMs;
  }

  private track(work: Promise<void>): void {
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }

  private notify(record: PredictionRecord): void {
    for (const listener of [...record.listeners]) listener();
  }

  private async run(record: PredictionRecord): Promise<void> {
    const { signal } = this.stop;
    await sleep(record.latencyMs, undefined, { signal });
    if (TERMINAL.has(record.wire.status)) return;
    Object.assign(record.wire, { status: 'processing', started_at: new Date().toISOString() });
    this.notify(record);
    this.sendWebhook(record, 'start');
    await sleep(record.latencyMs, undefined, { signal });
    if (TERMINAL.has(record.wire.status)) return;
    if (record.failure) return this.settle(record, { status: 'failed', error: record.failure });
    try {
      await this.render(record, signal);
    } catch (error) {
      if (signal.aborted) return;
      this.settle(record, { status: 'failed', error: error instanceof Error ? error.message : String(error) });
    }
  }

  private async render(record: PredictionRecord, signal: AbortSignal): Promise<void> {
    const outDir = join(this.deps.dataDir, 'outputs', record.wire.id);
    await mkdir(outDir, { recursive: true });
    const spec = record.model.spec;
    const rendered = await renderOutputs({ spec, input: record.wire.input, outDir, files: this.deps.files, signal });
    if (TERMINAL.has(record.wire.status)) return;
    record.files = rendered.files;
    record.billedUsd = billedUsd(spec, rendered);
    const urls = rendered.files.map(
      (file, index) => `${this.deps.origin}/files/outputs/${record.wire.id}/${index}${extname(file)}`,
    );
    const output = rendered.json !== undefined ? rendered.json : spec.outputIsArray ? urls : (urls[0] ?? null);
    this.settle(record, { status: 'succeeded', output: output as WirePrediction['output'] });
  }

  private settle(record: PredictionRecord, patch: Partial<WirePrediction>): void {
    const now = new Date();
    Object.assign(record.wire, patch, { completed_at: now.toISOString() });
    const started = record.wire.started_at ? Date.parse(record.wire.started_at) : now.getTime();
    record.wire.metrics = { predict_time: (now.getTime() - started) / 1000 };
    this.notify(record);
    this.sendWebhook(record, 'completed');
  }

  private sendWebhook(record: PredictionRecord, event: 'start' | 'completed'): void {
    const { webhook, webhook_events_filter: filter } = record.wire;
    if (!webhook || (filter && filter.length > 0 && !filter.includes(event))) return;
    const body = JSON.stringify(this.view(record));
    const { log, webhookSecret } = this.deps;
    const onAttempt = (d: { status: number | 'error'; webhookId: string }) =>
      log(`webhook ${event} ${record.wire.id} → ${d.status} (${d.webhookId})`);
    this.track(deliverWebhook(webhook, body, webhookSecret, { onAttempt }));
  }
}
