import path from 'node:path';
import { z } from 'zod';

/**
 * The one place that reads the environment (CONVENTIONS.md §3). `loadConfig(env)` validates
 * every variable at once and returns a deeply frozen object; a bad configuration throws one
 * `ConfigError` listing every bad variable and why. Empty strings count as unset.
 */

const MAX_PRESIGN_TTL_S = 604_800;
/** Ten years: anything longer means "never", which is what not running the sweep gives. */
const MAX_KEEP_INTERMEDIATES_HOURS = 87_600;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS = ['json', 'pretty'] as const;

const optionalText = z.string().trim().min(1).optional();
const secret = z.string().trim().min(1, 'must not be blank').optional();

function urlWith(protocols: readonly string[]) {
  return z
    .string()
    .trim()
    .refine((value) => URL.canParse(value), 'must be a URL')
    .refine(
      (value) => !URL.canParse(value) || protocols.includes(new URL(value).protocol),
      `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    );
}

const bool = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), 'must be true or false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

function intIn(min: number, max: number) {
  return z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

function decimalIn(min: number, max: number) {
  return z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, 'must be a number such as 2.50')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

const port = intIn(1, 65_535);

/** Every variable Reelsmith reads, with its rule. The README's configuration table mirrors this. */
const envSchema = z.object({
  DATA_DIR: z.string().trim().min(1).default('./data'),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  LOG_FORMAT: z.enum(LOG_FORMATS, { error: `must be one of ${LOG_FORMATS.join(', ')}` }).optional(),

  DATABASE_URL: urlWith(['postgres:', 'postgresql:']).optional(),
  REDIS_URL: urlWith(['redis:', 'rediss:']).optional(),
  QUEUE_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1–64 letters, digits, dots, dashes or underscores (no ":")')
    .default('reelsmith'),

  S3_BUCKET: z
    .string()
    .trim()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'must be a valid bucket name (3–63 lowercase letters, digits, dots, hyphens)',
    )
    .optional(),
  S3_REGION: z.string().trim().min(1).default('us-east-1'),
  S3_ENDPOINT: urlWith(['http:', 'https:']).optional(),
  S3_FORCE_PATH_STYLE: bool.optional(),
  S3_ACCESS_KEY_ID: secret,
  S3_SECRET_ACCESS_KEY: secret,
  S3_PRESIGN_TTL_S: intIn(1, MAX_PRESIGN_TTL_S).default(3600),
  KEEP_INTERMEDIATES_HOURS: intIn(0, MAX_KEEP_INTERMEDIATES_HOURS).default(24),

  REPLICATE_API_TOKEN: secret,
  REPLICATE_BASE_URL: urlWith(['http:', 'https:']).default('https://api.replicate.com/v1'),
  REPLICATE_WEBHOOK_URL: urlWith(['https:', 'http:']).optional(),
  REPLICATE_WEBHOOK_SECRET: z.string().trim().startsWith('whsec_', 'must start with whsec_').optional(),

  OPENAI_API_KEY: secret,
  OPENAI_BASE_URL: urlWith(['http:', 'https:']).optional(),
  LLM_MODEL: z.string().trim().min(1).default('gpt-4o-mini'),

  FFMPEG_PATH: optionalText,
  FFPROBE_PATH: optionalText,

  DEFAULT_VIDEO_MODEL: z.string().trim().min(1).default('hailuo'),
  MODEL_REGISTRY_FILE: optionalText,
  PROVIDER_CONCURRENCY: intIn(1, 64).default(4),
  WORKER_CONCURRENCY: intIn(1, 64).default(4),
  WORKER_LOCAL_CONCURRENCY: intIn(1, 64).default(2),
  WORKER_LOCK_MS: intIn(1000, 600_000).default(30_000),
  WORKER_SHUTDOWN_MS: intIn(0, 600_000).default(25_000),
  WORKER_RECOVERY_S: intIn(1, 86_400).default(30),
  HEALTH_PORT: port.default(8080),
  WEBHOOK_PORT: port.optional(),
  ADMIN_PORT: port.default(8081),
  ADMIN_TOKEN: z.string().trim().min(16, 'must be at least 16 characters').optional(),
  USER_CONCURRENT_VIDEOS: intIn(1, 100).default(1),
  DAILY_BUDGET_USD: decimalIn(0, 100_000).optional(),
  ASSET_SEARCH_MIN_TEXT_SCORE: decimalIn(0, 1).default(0.25),
  ASSET_SEARCH_MIN_IMAGE_SCORE: decimalIn(0, 1).default(0.7),
  APPROVAL_THRESHOLD_USD: decimalIn(0, 100_000).optional(),

  DISCORD_TOKEN: secret,
  DISCORD_APPLICATION_ID: z
    .string()
    .trim()
    .regex(/^\d{17,20}$/, 'must be a Discord snowflake (17–20 digits)')
    .optional(),
  DISCORD_GUILD_ID: z
    .string()
    .trim()
    .regex(/^\d{17,20}$/, 'must be a Discord snowflake (17–20 digits)')
    .optional(),
  DISCORD_API_URL: urlWith(['https:', 'http:']).default('https://discord.com/api'),

  SLACK_BOT_TOKEN: z.string().trim().startsWith('xoxb-', 'must start with xoxb-').optional(),
  SLACK_SIGNING_SECRET: secret,
  SLACK_PORT: port.default(3000),
  SLACK_APP_TOKEN: z.string().trim().startsWith('xapp-', 'must start with xapp-').optional(),
  SLACK_API_URL: urlWith(['https:', 'http:']).default('https://slack.com/api/'),

  MCP_USER_ID: optionalText,
  MCP_HTTP_HOST: z.string().trim().min(1).default('127.0.0.1'),
  MCP_HTTP_PORT: port.default(3333),
  MCP_HTTP_MODE: z.enum(['sessions', 'stateless']).optional(),
  MCP_HTTP_TOKEN: z.string().trim().min(16, 'must be at least 16 characters').optional(),
  MCP_HTTP_TOKENS: z
    .string()
    .trim()
    .transform((v) =>
      v
        .split(',')
        .map((pair) => pair.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z
            .string()
            .regex(
              /^[A-Za-z0-9._@-]{1,64}=\S{16,}$/,
              'must be comma-separated user=token pairs with tokens of at least 16 characters',
            ),
        )
        .min(1),
    )
    .optional(),
  MCP_PUBLIC_URL: urlWith(['https:', 'http:']).optional(),
  MCP_MEDIA_SECRET: z.string().trim().min(32, 'must be at least 32 characters').optional(),
  MCP_ALLOWED_ORIGINS: z
    .string()
    .trim()
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .optional(),
});

export type EnvVariable = keyof z.input<typeof envSchema>;
/** The names of every variable, in documentation order. */
export const ENV_VARIABLES = Object.keys(envSchema.shape) as EnvVariable[];

export type LogLevel = (typeof LOG_LEVELS)[number];

export interface S3Config {
  bucket: string;
  region: string;
  endpoint: string | undefined;
  forcePathStyle: boolean;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  presignTtlS: number;
}

export interface Config {
  /** Absolute. Holds PGlite's files, local storage and temp work when nothing else is configured. */
  dataDir: string;
  logLevel: LogLevel;
  /** JSON lines or human lines; undefined lets each process pick (services JSON, the CLI human lines). */
  logFormat: 'json' | 'pretty' | undefined;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** Every queue and signal of this deployment lives under this Redis prefix. */
  queuePrefix: string;
  /** A model registry file replacing `core/models.yaml`. */
  modelRegistryFile: string | undefined;
  /** Present only when S3_BUCKET is set; local storage under `dataDir/storage` otherwise. */
  s3: S3Config | undefined;
  lifecycle: {
    /**
     * Whole hours a scene version's intermediates (chunks, last frames, provider-output copies) are kept after
     * it stops being current; 0 = removed by the next sweep. On S3 the bucket rule counts whole days from the write.
     */
    keepIntermediatesHours: number;
  };
  replicate: {
    apiToken: string | undefined;
    baseUrl: string;
    webhookUrl: string | undefined;
    webhookSecret: string | undefined;
  };
  llm: { apiKey: string | undefined; baseUrl: string | undefined; model: string };
  media: { ffmpegPath: string | undefined; ffprobePath: string | undefined };
  generation: {
    defaultVideoModel: string;
    /** In-flight provider calls across every worker (and per inline work). */
    providerConcurrency: number;
    /** Videos one user may have running; more wait in line. */
    userConcurrentVideos: number;
    /** USD per user per UTC day; undefined = no cap. */
    dailyBudgetUsd: number | undefined;
    /** A video estimated above this waits for `approve`; undefined = never waits. */
    approvalThresholdUsd: number | undefined;
  };
  /** Asset searches leave out hits scoring below these (0–1; see README "Brand library"). */
  assetSearch: { minTextScore: number; minImageScore: number };
  worker: {
    /** Provider-pool jobs one worker runs at once. */
    concurrency: number;
    /** Local-pool (ffmpeg) jobs one worker runs at once. */
    localConcurrency: number;
    /** BullMQ lock duration and stalled-check interval: a killed worker's job runs again after about this. */
    lockMs: number;
    /** How long a stopping worker lets its jobs finish before handing them back. */
    shutdownMs: number;
    /** How often a worker re-checks Postgres against Redis (and relays unsent notifications). */
    recoveryIntervalS: number;
    /** Long-running processes (worker, bots, MCP over HTTP) answer `GET /healthz` here. */
    healthPort: number;
    /** The worker's Replicate webhook endpoint; HEALTH_PORT when unset. */
    webhookPort: number | undefined;
    adminPort: number;
    /** bull-board is served only when this is set, and only to requests bearing it. */
    adminToken: string | undefined;
  };
  discord: {
    token: string | undefined;
    applicationId: string | undefined;
    guildId: string | undefined;
    /** REST base, up to `/api` (tests and proxies point it elsewhere). */
    apiUrl: string;
  };
  slack: {
    botToken: string | undefined;
    signingSecret: string | undefined;
    port: number;
    /** Socket Mode instead of the HTTP receiver, when set. */
    appToken: string | undefined;
    /** Web API base, ending in `/` (tests and proxies point it elsewhere). */
    apiUrl: string;
  };
  mcp: {
    userId: string | undefined;
    httpHost: string;
    httpPort: number;
    httpToken: string | undefined;
    /** Bearer token → user id, for an HTTP server shared by several people (MCP_HTTP_TOKENS). */
    httpTokens: Readonly<Record<string, string>>;
    allowedOrigins: string[] | undefined;
    /**
     * `stateless`: a fresh server per HTTP request and no sessions, so several replicas can share the
     * traffic (the default with REDIS_URL); `sessions`: sessions held in the process (the default without).
     */
    httpMode: 'sessions' | 'stateless';
    /** The HTTP server as browsers reach it (behind a proxy: its https URL), for the viewer's media links. */
    publicUrl: string | undefined;
    /** Key of the viewer's signed media links, shared by replicas (MCP_MEDIA_SECRET); undefined: one per process. */
    mediaSecret: string | undefined;
  };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** One entry per bad variable: `{ variable, reason }`. */
  readonly problems: ReadonlyArray<{ variable: string; reason: string }>;

  constructor(problems: Array<{ variable: string; reason: string }>) {
    const lines = problems.map((p) => `  ${p.variable}: ${p.reason}`);
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
    );
    this.problems = Object.freeze(problems.map((p) => Object.freeze(p)));
  }
}

/** Parses `env` (the environment, handed in by an entry point's `main.ts`) into a frozen Config. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>, options: { cwd?: string } = {}): Config {
  const present = Object.fromEntries(
    ENV_VARIABLES.flatMap((name) => {
      const value = env[name];
      return value === undefined || value.trim() === '' ? [] : [[name, value]];
    }),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? '(environment)'),
      reason: issue.message,
    }));
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const problems = crossFieldProblems(e);
  if (problems.length > 0) throw new ConfigError(problems);

  const config: Config = {
    dataDir: path.resolve(options.cwd ?? process.cwd(), e.DATA_DIR),
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    modelRegistryFile: e.MODEL_REGISTRY_FILE
      ? path.resolve(options.cwd ?? process.cwd(), e.MODEL_REGISTRY_FILE)
      : undefined,
    s3: e.S3_BUCKET
      ? {
          bucket: e.S3_BUCKET,
          region: e.S3_REGION,
          endpoint: e.S3_ENDPOINT,
          forcePathStyle: e.S3_FORCE_PATH_STYLE ?? e.S3_ENDPOINT !== undefined,
          accessKeyId: e.S3_ACCESS_KEY_ID,
          secretAccessKey: e.S3_SECRET_ACCESS_KEY,
          presignTtlS: e.S3_PRESIGN_TTL_S,
        }
      : undefined,
    lifecycle: { keepIntermediatesHours: e.KEEP_INTERMEDIATES_HOURS },
    replicate: {
      apiToken: e.REPLICATE_API_TOKEN,
      baseUrl: e.REPLICATE_BASE_URL.replace(/\/+$/, ''),
      webhookUrl: e.REPLICATE_WEBHOOK_URL,
      webhookSecret: e.REPLICATE_WEBHOOK_SECRET,
    },
    llm: { apiKey: e.OPENAI_API_KEY, baseUrl: e.OPENAI_BASE_URL, model: e.LLM_MODEL },
    media: { ffmpegPath: e.FFMPEG_PATH, ffprobePath: e.FFPROBE_PATH },
    generation: {
      defaultVideoModel: e.DEFAULT_VIDEO_MODEL,
      providerConcurrency: e.PROVIDER_CONCURRENCY,
      userConcurrentVideos: e.USER_CONCURRENT_VIDEOS,
      dailyBudgetUsd: e.DAILY_BUDGET_USD,
      approvalThresholdUsd: e.APPROVAL_THRESHOLD_USD,
    },
    assetSearch: { minTextScore: e.ASSET_SEARCH_MIN_TEXT_SCORE, minImageScore: e.ASSET_SEARCH_MIN_IMAGE_SCORE },
    worker: {
      concurrency: e.WORKER_CONCURRENCY,
      localConcurrency: e.WORKER_LOCAL_CONCURRENCY,
      lockMs: e.WORKER_LOCK_MS,
      shutdownMs: e.WORKER_SHUTDOWN_MS,
      recoveryIntervalS: e.WORKER_RECOVERY_S,
      healthPort: e.HEALTH_PORT,
      webhookPort: e.WEBHOOK_PORT,
      adminPort: e.ADMIN_PORT,
      adminToken: e.ADMIN_TOKEN,
    },
    discord: {
      token: e.DISCORD_TOKEN,
      applicationId: e.DISCORD_APPLICATION_ID,
      guildId: e.DISCORD_GUILD_ID,
      apiUrl: e.DISCORD_API_URL.replace(/\/+$/, ''),
    },
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      port: e.SLACK_PORT,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: `${e.SLACK_API_URL.replace(/\/+$/, '')}/`,
    },
    mcp: {
      userId: e.MCP_USER_ID,
      httpHost: e.MCP_HTTP_HOST,
      httpPort: e.MCP_HTTP_PORT,
      httpToken: e.MCP_HTTP_TOKEN,
      httpTokens: Object.fromEntries(
        (e.MCP_HTTP_TOKENS ?? []).map((pair) => {
          const at = pair.indexOf('=');
          return [pair.slice(at + 1), pair.slice(0, at)];
        }),
      ),
      allowedOrigins: e.MCP_ALLOWED_ORIGINS,
      httpMode: e.MCP_HTTP_MODE ?? (e.REDIS_URL ? 'stateless' : 'sessions'),
      publicUrl: e.MCP_PUBLIC_URL?.replace(/\/+$/, ''),
      mediaSecret: e.MCP_MEDIA_SECRET,
    },
  };
  return deepFreeze(config);
}

type ParsedEnv = z.output<typeof envSchema>;

/** Rules that tie variables together; reported with the same one-message format. */
function crossFieldProblems(e: ParsedEnv): Array<{ variable: string; reason: string }> {
  const problems: Array<{ variable: string; reason: string }> = [];
  const s3Only = ['S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;
  if (!e.S3_BUCKET) {
    for (const name of s3Only) {
      if (e[name] !== undefined) problems.push({ variable: name, reason: 'is set but S3_BUCKET is not' });
    }
  }
  if ((e.S3_ACCESS_KEY_ID === undefined) !== (e.S3_SECRET_ACCESS_KEY === undefined)) {
    const missing = e.S3_ACCESS_KEY_ID === undefined ? 'S3_ACCESS_KEY_ID' : 'S3_SECRET_ACCESS_KEY';
    problems.push({ variable: missing, reason: 'must be set together with its pair' });
  }
  if (e.REPLICATE_WEBHOOK_URL && !e.REPLICATE_WEBHOOK_SECRET) {
    problems.push({
      variable: 'REPLICATE_WEBHOOK_SECRET',
      reason: 'is required when REPLICATE_WEBHOOK_URL is set (webhooks must be verified)',
    });
  }
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
