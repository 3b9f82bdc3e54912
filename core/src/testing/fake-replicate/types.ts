import type { ModelSpec } from '../../models/types.js';

/** Replicate's prediction statuses (the fake never produces `aborted`). */
export type FakePredictionStatus = 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled';

/** A prediction as Replicate's HTTP API serialises it. Times are ISO 8601 strings. */
export interface WirePrediction {
  id: string;
  /** `owner/name`. */
  model: string;
  version: string;
  input: Record<string, unknown>;
  logs: string;
  /** One URL, an array of URLs (`outputIsArray` models), JSON (embedding models), or null until it succeeds. */
  output: string | string[] | Array<{ input: string; embedding: number[] }> | null;
  data_removed: boolean;
  error: string | null;
  status: FakePredictionStatus;
  source: 'api';
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  urls: { get: string; cancel: string; web: string };
  metrics: { predict_time?: number };
  webhook?: string;
  webhook_events_filter?: string[];
}

/** A created prediction as the test sees it: its wire form plus what the fake would bill. */
export type FakePredictionInfo = WirePrediction & {
  /** USD Replicate would charge (0 unless it succeeded). */
  billedUsd: number;
};

/**
 * Faults for one model (or all of them). Counters are consumed as they fire; `fail.count` and
 * `moderation.count` absent mean "every prediction from now on".
 */
export interface FakeFaultRule {
  /** Extra milliseconds spent in each of `starting` and `processing`. */
  latencyMs?: number;
  /**
   * The next `count` creates answer 429 with `Retry-After: retryAfterS` and a body saying when the
   * limit resets (`expected`: "Expected available in N seconds.", `resets`: "resets in ~Ns").
   */
  throttle?: { count: number; retryAfterS: number; style?: 'expected' | 'resets' };
  /** The next `count` API requests answer `status` (default 503); a create answered so makes no prediction. */
  serverErrors?: { count: number; status?: number };
  /** The next N creates are recorded and started, then the socket is destroyed without an answer. */
  resetAfterCreate?: number;
  /** Each create is recorded and started at once, but answered only after this many milliseconds. */
  createResponseDelayMs?: number;
  /** Predictions end `failed` with `error`; `withImageOnly`: only those given a first-frame image. */
  fail?: { count?: number; error: string; withImageOnly?: boolean };
  /** Predictions end `failed` as flagged content (`error` defaults to the E005 message). */
  moderation?: { count?: number; error?: string };
  /** The next `count` creates (all when absent) answer 422 with `detail`. */
  invalidInput?: { count?: number; detail: string };
}

/** The fake's mutable fault configuration (`fake.faults`): change it at any time. */
export interface FakeFaults {
  global: FakeFaultRule;
  /** Rules for one model, keyed by `owner/name` (a rule here is consulted before the global one). */
  models: Record<string, FakeFaultRule>;
  /** Output files answer 404 once this many ms have passed since their prediction completed (Replicate: 1 h). */
  outputTtlMs: number;
}

export interface FakeReplicateOptions {
  /** The model facts: the registry (or any list of specs); predictions of other models answer 404 / 422. */
  models: { list(): readonly ModelSpec[] } | readonly ModelSpec[];
  /** Default 0 (any free port). */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** The bearer token accepted. Default `r8_fake_token`. */
  apiToken?: string;
  /** `whsec_<base64>` used to sign webhooks; generated when absent. */
  webhookSecret?: string;
  /** Milliseconds spent in each of `starting` and `processing` (plus the render). Default 50. */
  stepLatencyMs?: number;
  /** Predictions per page of `GET /v1/predictions`. Default 100. */
  listPageSize?: number;
  faults?: Partial<FakeFaults>;
  /** Receives one line per notable event (requests refused, faults fired, webhooks sent). */
  log?: (line: string) => void;
}

export interface FakeReplicate {
  /** `http://HOST:PORT/v1`: give it to the client as its base URL. */
  readonly url: string;
  readonly apiToken: string;
  readonly webhookSecret: string;
  /** Every prediction created (also those whose answer was lost), oldest first: count paid calls with it. */
  predictions(): FakePredictionInfo[];
  /** Sum of what every prediction would be billed, USD. */
  billedUsd(): number;
  /** API requests received, oldest first (method, path, time in ms since the epoch): for spacing checks. */
  requests(): Array<{ method: string; path: string; at: number; status: number }>;
  readonly faults: FakeFaults;
  close(): Promise<void>;
}
