import { pino } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel } from './config.js';

export type Logger = pino.Logger;

export interface CreateLoggerOptions {
  level?: LogLevel;
  /** Where lines go. An MCP server on stdio must log to `stderr`. Default `stdout`. */
  destination?: 'stdout' | 'stderr' | NodeJS.WritableStream;
  /** Human-readable lines; defaults to true when the destination is a TTY. */
  pretty?: boolean;
  /**
   * `short`: one plain line per record (`reelsmith: warning: message (reason)`), no fields and no
   * stack traces: for a person at a terminal (the CLI). Overrides `pretty`.
   */
  format?: 'short';
  name?: string;
  /** Known secret values (tokens from the config) to blank wherever they appear. */
  secrets?: ReadonlyArray<string | undefined>;
}

const REDACTED = '[redacted]';

/** Object keys whose values are never logged. */
const SECRET_KEY = /(token|secret|password|passwd|authorization|api[_-]?key|cookie|signature|credential)/i;

/** Secrets that can hide inside free text: URL signatures, bearer tokens, provider key shapes. */
const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [
    /([?&](?:X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|Signature|sig|token|access_token|api_key|key)=)[^&#\s"']+/gi,
    `$1${REDACTED}`,
  ],
  [/(Bearer|Token)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${REDACTED}`],
  [/\br8_[A-Za-z0-9]{16,}/g, REDACTED],
  [/\bsk-[A-Za-z0-9_-]{16,}/g, REDACTED],
  [/\bxox[abpr]-[A-Za-z0-9-]{8,}/g, REDACTED],
  [/\bwhsec_[A-Za-z0-9+/=]{8,}/g, REDACTED],
  [/(postgres(?:ql)?:\/\/[^:/\s]+:)[^@\s]+@/g, `$1${REDACTED}@`],
  [/(rediss?:\/\/[^:/\s]*:)[^@\s]+@/g, `$1${REDACTED}@`],
];

/** Returns `text` with every known secret shape (and every listed secret value) blanked. */
export function scrubText(text: string, secrets: ReadonlyArray<string> = []): string {
  let out = text;
  for (const value of secrets) out = out.split(value).join(REDACTED);
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** A deep copy of `value` with secret keys and secret-looking strings redacted. Cycles are cut. */
export function scrubValue(value: unknown, secrets: ReadonlyArray<string> = [], seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrubText(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) return scrubValue(serializeError(value), secrets, seen);
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, secrets, seen));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && inner != null && inner !== '' ? REDACTED : scrubValue(inner, secrets, seen);
  }
  return out;
}

/**
 * JSON lines by default, pretty on a TTY. Every record (fields, message, serialised errors)
 * passes through `scrubValue`, so tokens, secrets and presigned URLs' signatures never reach
 * the output.
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const stream = resolveStream(options.destination ?? 'stdout');
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 6);
  const usePretty = options.pretty ?? (stream as { isTTY?: boolean }).isTTY === true;
  const target =
    options.format === 'short'
      ? shortLines(stream, options.name ?? 'reelsmith')
      : usePretty
        ? pretty({ destination: stream, sync: true, colorize: true })
        : stream;
  return pino(
    {
      level: options.level ?? 'info',
      base: options.name ? { name: options.name } : {},
      serializers: { err: keepSerializedError, error: keepSerializedError },
      formatters: { log: (record) => scrubValue(record, secrets) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const cleaned = args.map((arg) => (typeof arg === 'string' ? scrubText(arg, secrets) : arg));
          return method.apply(this, cleaned as Parameters<typeof method>);
        },
      },
    },
    target,
  );
}

/** Errors are serialised (and scrubbed) by the log formatter; pino must not re-wrap them. */
function keepSerializedError(value: unknown): unknown {
  return value instanceof Error ? serializeError(value) : value;
}

/**
 * An error as a plain object (type, message, stack, own fields, cause chain). Never throws: frozen
 * fields (a UserError's details) are copied, not tagged, and cycles are cut.
 */
function serializeError(error: Error, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = { type: error.name, message: error.message, stack: error.stack };
  for (const [key, inner] of Object.entries(error)) {
    if (key === 'cause' || key in out) continue;
    out[key] = inner && typeof inner === 'object' ? JSON.parse(safeJson(inner)) : inner;
  }
  const cause = (error as { cause?: unknown }).cause;
  if (cause !== undefined && depth < 5) {
    out.cause = cause instanceof Error ? serializeError(cause, depth + 1) : cause;
  }
  return out;
}

function safeJson(value: unknown): string {
  const seen = new WeakSet<object>();
  try {
    return (
      JSON.stringify(value, (_key, inner: unknown) => {
        if (inner && typeof inner === 'object') {
          if (seen.has(inner)) return '[circular]';
          seen.add(inner);
        }
        return typeof inner === 'bigint' ? String(inner) : inner;
      }) ?? 'null'
    );
  } catch {
    return '"[unserialisable]"';
  }
}

function resolveStream(destination: NonNullable<CreateLoggerOptions['destination']>): NodeJS.WritableStream {
  if (destination === 'stdout') return process.stdout;
  if (destination === 'stderr') return process.stderr;
  return destination;
}

const LEVEL_WORDS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warning',
  50: 'error',
  60: 'fatal',
};

/** A destination that turns pino's JSON lines into one short human line each. */
function shortLines(stream: NodeJS.WritableStream, name: string): { write(line: string): void } {
  return {
    write(line: string) {
      try {
        const record = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
        const reason = record.err?.message ? ` (${record.err.message.split('\n')[0]})` : '';
        stream.write(`${name}: ${LEVEL_WORDS[record.level ?? 30] ?? 'info'}: ${record.msg ?? ''}${reason}\n`);
      } catch {
        stream.write(line);
      }
    },
  };
}
