/** A Web API call as the fake saw it: the method, its parsed arguments, and when. */
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
  /** What the fake answered (`ok`, and `error` when it refused). */
  ok: boolean;
  error?: string;
  /** The answer was held back (`faults.hangNext`) and the client had gone by the time it was sent. */
  abandoned?: boolean;
}

/** A message in a channel or thread of the fake workspace. */
export interface FakeSlackMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: Array<Record<string, unknown>>;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  reply_broadcast?: boolean;
  /** File ids shared by this message (`files.completeUploadExternal`). */
  files?: string[];
  user: string;
  /** How many times `chat.update` changed it, and when. */
  updates: number[];
}

/** A file uploaded with the external flow (or one a user "uploaded" into a modal). */
export interface FakeSlackFile {
  id: string;
  name: string;
  title?: string;
  mimetype: string;
  size: number;
  bytes?: Buffer;
  url_private: string;
  url_private_download: string;
  permalink: string;
  /** Channel id → message ts values sharing it. */
  shares: Record<string, string[]>;
  completed: boolean;
}

/** A person in the fake workspace. */
export interface FakeSlackUser {
  id: string;
  name: string;
}

/** What a signed request to the app answered. */
export interface AppResponse {
  status: number;
  /** The body as text, and parsed when it is JSON. */
  text: string;
  json?: Record<string, unknown>;
  elapsedMs: number;
}

/** Something a `response_url` received. */
export interface ResponseUrlPost {
  responseUrl: string;
  body: Record<string, unknown>;
  at: number;
}

/** A modal opened with `views.open`. */
export interface FakeSlackView {
  id: string;
  trigger_id: string;
  view: Record<string, unknown>;
  user?: string;
}

export interface FakeSlackOptions {
  /** Slack's per-file limit here, bytes (1 GB on Slack). */
  maxUploadBytes?: number;
}

export interface FakeSlackFaults {
  /** The next call of `method` answers 429 with `Retry-After: retryAfterS`. */
  rateLimitNext(method: string, retryAfterS?: number): void;
  /** The next call of `method` is carried out, but its answer is held back `ms` (a timeout seen by the client). */
  hangNext(method: string, ms: number): void;
}
