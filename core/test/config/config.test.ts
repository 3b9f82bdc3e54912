import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, ENV_VARIABLES, loadConfig } from '../../src/config.js';

function problemsOf(env: Record<string, string>): Array<{ variable: string; reason: string }> {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig', () => {
  it('gives working defaults when nothing is configured', () => {
    const config = loadConfig({}, { cwd: '/srv/app' });
    expect(config.dataDir).toBe('/srv/app/data');
    expect(config.logLevel).toBe('info');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.s3).toBeUndefined();
    expect(config.replicate).toMatchObject({ apiToken: undefined, baseUrl: 'https://api.replicate.com/v1' });
    expect(config.llm).toMatchObject({ apiKey: undefined, model: 'gpt-4o-mini' });
    expect(config.generation).toMatchObject({ defaultVideoModel: 'hailuo', userConcurrentVideos: 1 });
    expect(config.queuePrefix).toBe('reelsmith');
    expect(config.worker).toMatchObject({
      concurrency: 4,
      localConcurrency: 2,
      lockMs: 30_000,
      healthPort: 8080,
      adminToken: undefined,
    });
    expect(config.mcp).toMatchObject({ httpHost: '127.0.0.1', httpPort: 3333, httpMode: 'sessions' });
  });

  it('parses a full configuration into typed values', () => {
    const config = loadConfig(
      {
        DATA_DIR: '/var/reelsmith',
        LOG_LEVEL: 'debug',
        DATABASE_URL: 'postgres://app:pw@db:5432/reelsmith',
        REDIS_URL: 'redis://redis:6379',
        S3_BUCKET: 'reelsmith-media',
        S3_ENDPOINT: 'http://minio:9000',
        S3_ACCESS_KEY_ID: 'minio',
        S3_SECRET_ACCESS_KEY: 'minio-secret',
        S3_PRESIGN_TTL_S: '604800',
        REPLICATE_API_TOKEN: 'r8_abc',
        REPLICATE_BASE_URL: 'http://127.0.0.1:9999/v1/',
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: 'http://127.0.0.1:8888/v1',
        DAILY_BUDGET_USD: '12.50',
        APPROVAL_THRESHOLD_USD: '3',
        DISCORD_APPLICATION_ID: '123456789012345678',
        SLACK_BOT_TOKEN: 'xoxb-1-2-3',
        SLACK_PORT: '4000',
        MCP_HTTP_TOKEN: 'a-long-enough-bearer-token',
        MCP_ALLOWED_ORIGINS: 'https://a.example, https://b.example',
      },
      { cwd: '/' },
    );
    expect(config.dataDir).toBe('/var/reelsmith');
    expect(config.s3).toEqual({
      bucket: 'reelsmith-media',
      region: 'us-east-1',
      endpoint: 'http://minio:9000',
      forcePathStyle: true,
      accessKeyId: 'minio',
      secretAccessKey: 'minio-secret',
      presignTtlS: 604800,
    });
    expect(config.replicate.baseUrl).toBe('http://127.0.0.1:9999/v1');
    expect(config.generation.dailyBudgetUsd).toBe(12.5);
    expect(config.generation.approvalThresholdUsd).toBe(3);
    expect(config.slack.port).toBe(4000);
    expect(config.mcp.allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.mcp.httpMode).toBe('stateless');
  });

  it('serves MCP over HTTP statelessly with REDIS_URL (replicas), with sessions without it, unless MCP_HTTP_MODE says', () => {
    expect(loadConfig({ REDIS_URL: 'redis://r:6379' }).mcp.httpMode).toBe('stateless');
    expect(loadConfig({ REDIS_URL: 'redis://r:6379', MCP_HTTP_MODE: 'sessions' }).mcp.httpMode).toBe('sessions');
    expect(loadConfig({ MCP_HTTP_MODE: 'stateless' }).mcp.httpMode).toBe('stateless');
    expect(problemsOf({ MCP_HTTP_MODE: 'sticky' })).toEqual([
      { variable: 'MCP_HTTP_MODE', reason: expect.stringMatching(/sessions.*stateless/) },
    ]);
  });

  it("takes the viewer's public URL and the media link key shared by replicas, refusing a short key", () => {
    expect(loadConfig({}).mcp).toMatchObject({ publicUrl: undefined, mediaSecret: undefined });
    const secret = 'a-media-secret-of-at-least-32-chars';
    expect(loadConfig({ MCP_PUBLIC_URL: 'https://reels.example/', MCP_MEDIA_SECRET: secret }).mcp).toMatchObject({
      publicUrl: 'https://reels.example',
      mediaSecret: secret,
    });
    expect(problemsOf({ MCP_MEDIA_SECRET: 'short' })).toEqual([
      { variable: 'MCP_MEDIA_SECRET', reason: expect.stringMatching(/at least 32 characters/) },
    ]);
  });

  it('keeps intermediates 24 hours unless KEEP_INTERMEDIATES_HOURS says otherwise, 0 included', () => {
    expect(loadConfig({}).lifecycle).toEqual({ keepIntermediatesHours: 24 });
    expect(loadConfig({ KEEP_INTERMEDIATES_HOURS: '0' }).lifecycle).toEqual({ keepIntermediatesHours: 0 });
    expect(loadConfig({ KEEP_INTERMEDIATES_HOURS: ' 72 ' }).lifecycle).toEqual({ keepIntermediatesHours: 72 });
    for (const bad of ['-1', '1.5', 'a day', '1e3']) {
      expect(problemsOf({ KEEP_INTERMEDIATES_HOURS: bad })).toEqual([
        { variable: 'KEEP_INTERMEDIATES_HOURS', reason: 'must be a whole number' },
      ]);
    }
    expect(problemsOf({ KEEP_INTERMEDIATES_HOURS: '87601' })).toEqual([
      { variable: 'KEEP_INTERMEDIATES_HOURS', reason: 'must be at most 87600' },
    ]);
  });

  it('returns a deeply frozen object', () => {
    const config = loadConfig({ S3_BUCKET: 'bucket-a' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.s3)).toBe(true);
    expect(() => {
      (config as { logLevel: string }).logLevel = 'trace';
    }).toThrow(TypeError);
  });

  it('treats blank values as unset', () => {
    const config = loadConfig({ DATABASE_URL: '  ', LOG_LEVEL: '' });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.logLevel).toBe('info');
  });

  it.each([
    ['LOG_LEVEL', 'loud', /one of fatal, error/],
    ['DATABASE_URL', 'mysql://x/y', /postgres:\/\/ or postgresql:\/\//],
    ['DATABASE_URL', 'not a url', /must be a URL/],
    ['REDIS_URL', 'http://redis', /redis:\/\//],
    ['S3_PRESIGN_TTL_S', '604801', /at most 604800/],
    ['S3_PRESIGN_TTL_S', 'ten', /whole number/],
    ['S3_BUCKET', 'Bad_Bucket', /bucket name/],
    ['REPLICATE_BASE_URL', 'ftp://x', /http:\/\//],
    ['REPLICATE_WEBHOOK_SECRET', 'abc', /whsec_/],
    ['SLACK_PORT', '70000', /at most 65535/],
    ['SLACK_BOT_TOKEN', 'xoxp-user', /xoxb-/],
    ['DISCORD_APPLICATION_ID', 'abc', /snowflake/],
    ['DAILY_BUDGET_USD', '-1', /number such as/],
    ['MCP_HTTP_TOKEN', 'short', /at least 16/],
    ['USER_CONCURRENT_VIDEOS', '0', /at least 1/],
    ['QUEUE_PREFIX', 'a:b', /no ":"/],
    ['WORKER_LOCAL_CONCURRENCY', '0', /at least 1/],
    ['ADMIN_TOKEN', 'short', /at least 16/],
    ['LOG_FORMAT', 'xml', /json, pretty/],
  ])('refuses %s=%s and says why', (variable, value, reason) => {
    const problems = problemsOf({ [variable]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.variable).toBe(variable);
    expect(problems[0]?.reason).toMatch(reason);
  });

  it('lists every bad variable in one message', () => {
    let message = '';
    try {
      loadConfig({ LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', SLACK_PORT: 'abc' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/3 problems/);
    expect(message).toMatch(/LOG_LEVEL: /);
    expect(message).toMatch(/DATABASE_URL: /);
    expect(message).toMatch(/SLACK_PORT: /);
  });

  it('refuses settings that only make sense together', () => {
    const problems = problemsOf({
      S3_ENDPOINT: 'http://minio:9000',
      REPLICATE_WEBHOOK_URL: 'https://hooks.example/replicate',
    });
    expect(problems.map((p) => p.variable).sort()).toEqual(['REPLICATE_WEBHOOK_SECRET', 'S3_ENDPOINT']);
    const pair = problemsOf({ S3_BUCKET: 'media', S3_ACCESS_KEY_ID: 'only-the-id' });
    expect(pair).toEqual([{ variable: 'S3_SECRET_ACCESS_KEY', reason: 'must be set together with its pair' }]);
  });

  it('ignores variables it does not own and never echoes secret values', () => {
    const problems = problemsOf({ PATH: '/bin', REPLICATE_WEBHOOK_URL: 'https://x.example', OPENAI_API_KEY: 'sk-zzz' });
    expect(JSON.stringify(problems)).not.toContain('sk-zzz');
    expect(problems.map((p) => p.variable)).toEqual(['REPLICATE_WEBHOOK_SECRET']);
  });

  it('documents every variable it reads in the README', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');
    const missing = ENV_VARIABLES.filter((name) => !readme.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});

describe('MCP_HTTP_TOKENS', () => {
  it('maps each bearer token to its user', () => {
    const config = loadConfig({ MCP_HTTP_TOKENS: 'alice=aaaaaaaaaaaaaaaa1, bob=bbbbbbbbbbbbbbbb2' });
    expect(config.mcp.httpTokens).toEqual({ aaaaaaaaaaaaaaaa1: 'alice', bbbbbbbbbbbbbbbb2: 'bob' });
  });

  it('refuses short tokens and malformed pairs', () => {
    expect(() => loadConfig({ MCP_HTTP_TOKENS: 'alice=short' })).toThrow(
      /MCP_HTTP_TOKENS: must be comma-separated user=token/,
    );
    expect(() => loadConfig({ MCP_HTTP_TOKENS: 'no-equals-sign-here-at-all' })).toThrow(/MCP_HTTP_TOKENS/);
  });
});
