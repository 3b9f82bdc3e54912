import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENV_VARIABLES } from '../../src/config.js';

type Service = {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  container_name?: string;
  ports?: string[];
  restart?: string;
};

const root = path.resolve(import.meta.dirname, '../../..');
let services: Record<string, Service>;

beforeAll(async () => {
  const text = await readFile(path.join(root, 'docker-compose.yml'), 'utf8');
  services = (parse(text, { merge: true }) as { services: Record<string, Service> }).services;
});

const APP_SERVICES = ['worker', 'discord', 'slack', 'mcp-server'] as const;

describe('docker-compose.yml', () => {
  it('defines the whole deployment', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['discord', 'mcp-server', 'migrate', 'minio', 'minio-init', 'postgres', 'redis', 'slack', 'worker'].sort(),
    );
  });

  it('runs redis with an append-only file and without eviction (BullMQ needs both)', () => {
    const command = [services.redis?.command ?? []].flat().join(' ');
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--maxmemory-policy noeviction/);
  });

  it('gives every long-running service a healthcheck', () => {
    for (const name of ['postgres', 'redis', 'minio', ...APP_SERVICES]) {
      expect(services[name]?.healthcheck?.test.length, name).toBeGreaterThan(0);
    }
  });

  it('creates the bucket and migrates once before any app process starts', () => {
    expect(services['minio-init']?.command?.toString()).toMatch(/mc mb --ignore-existing/);
    expect(services.migrate?.command).toEqual(['npm', 'run', 'migrate']);
    expect(services.migrate?.restart).toBe('no');
    for (const name of APP_SERVICES) {
      expect(services[name]?.depends_on).toMatchObject({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
        'minio-init': { condition: 'service_completed_successfully' },
      });
    }
  });

  it('keeps the worker scalable: no fixed name, no host port, ready only when Redis and Postgres answer', () => {
    expect(services.worker?.container_name).toBeUndefined();
    expect(services.worker?.ports).toBeUndefined();
    expect(services.worker?.healthcheck?.test.join(' ')).toMatch(/\/readyz/);
    expect(services.worker?.environment).toMatchObject({ QUEUE_PREFIX: expect.any(String) });
    const grace = Number.parseInt(String((services.worker as { stop_grace_period?: string }).stop_grace_period), 10);
    expect(grace * 1000).toBeGreaterThan(25_000);
  });

  it('runs each app process with a command that exists in package.json', async () => {
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    for (const name of [...APP_SERVICES, 'migrate'] as const) {
      const command = services[name]?.command;
      expect(Array.isArray(command) && command.slice(0, 2)).toEqual(['npm', 'run']);
      const script = (command as string[])[2]!;
      expect(pkg.scripts[script], `${name} runs npm run ${script}`).toBeDefined();
    }
  });

  it('wires app services to postgres, redis and minio with variables Reelsmith actually reads', () => {
    for (const name of [...APP_SERVICES, 'migrate'] as const) {
      const env = services[name]?.environment ?? {};
      expect(env.DATABASE_URL).toMatch(/^postgres:\/\/.+@postgres:5432\//);
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      expect(env.S3_ENDPOINT).toBe('http://minio:9000');
      expect(env.S3_FORCE_PATH_STYLE).toBe('true');
      const unknown = Object.keys(env).filter((key) => !(ENV_VARIABLES as string[]).includes(key));
      expect(unknown, `${name} sets variables nobody reads`).toEqual([]);
    }
    expect(services['mcp-server']?.environment?.MCP_HTTP_HOST).toBe('0.0.0.0');
  });

  it('runs Postgres from an image that ships pgvector, so asset search takes the pgvector path', () => {
    expect(services.postgres?.image).toMatch(/^pgvector\/pgvector:pg1[5-9]/);
  });

  it('builds the app image from a Dockerfile on node:20-slim with ffmpeg', async () => {
    const dockerfile = await readFile(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20-slim/m);
    expect(dockerfile).toMatch(/apt-get install[^\n]*ffmpeg/);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
  });
});
