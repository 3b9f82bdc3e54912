/**
 * `npm run worker`: the process that runs Reelsmith's steps from the queue. The only module that
 * reads the environment, opens connections and handles signals; the worker itself is `createWorker`.
 */
import { ConfigError, createLogger, loadConfig, UserError } from '@reelsmith/core';
import { openCore } from '@reelsmith/core/worker';
import { createWorker } from './create-worker.js';

async function main(): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`reelsmith-worker: ${error.message}\n`);
    return 2;
  }
  if (!config.redisUrl) {
    process.stderr.write(
      'reelsmith-worker: REDIS_URL is not set; the worker takes its jobs from Redis (e.g. REDIS_URL=redis://127.0.0.1:6379).\n',
    );
    return 2;
  }
  if (!config.databaseUrl) {
    process.stderr.write(
      'reelsmith-worker: DATABASE_URL is not set; workers share Postgres (the embedded PGlite serves one process only), e.g. DATABASE_URL=postgres://user@127.0.0.1:5432/reelsmith.\n',
    );
    return 2;
  }
  const log = createLogger({
    level: config.logLevel,
    name: 'reelsmith-worker',
    ...(config.logFormat ? { pretty: config.logFormat === 'pretty' } : { pretty: false }),
    secrets: [config.replicate.apiToken, config.llm.apiKey, config.s3?.secretAccessKey, config.worker.adminToken],
  });
  let core: Awaited<ReturnType<typeof openCore>>;
  try {
    core = await openCore(config, { log, role: 'worker' });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    process.stderr.write(`reelsmith-worker: ${error.message}\n`);
    return 1;
  }
  const worker = await createWorker({
    core,
    log,
    concurrency: config.worker.concurrency,
    localConcurrency: config.worker.localConcurrency,
    providerConcurrency: config.generation.providerConcurrency,
    lockMs: config.worker.lockMs,
    shutdownMs: config.worker.shutdownMs,
    recoveryIntervalS: config.worker.recoveryIntervalS,
    healthPort: config.worker.healthPort,
    webhookPort: config.worker.webhookPort,
    adminPort: config.worker.adminPort,
    adminToken: config.worker.adminToken,
    webhookSecret: config.replicate.webhookSecret,
    // S3 buckets expire intermediates with their lifecycle rule (`reelsmith storage lifecycle --apply`).
    storageSweep: core.storage.backend === 'local' ? config.lifecycle : undefined,
  });
  log.info(
    {
      provider: core.providers.name,
      ports: worker.ports,
      prefix: config.queuePrefix,
      pid: process.pid,
      storageSweep:
        core.storage.backend === 'local'
          ? `every hour, KEEP_INTERMEDIATES_HOURS=${config.lifecycle.keepIntermediatesHours}`
          : 'off (S3 lifecycle rule)',
    },
    'worker ready',
  );
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  log.info('worker stopping');
  await worker.close();
  await core.close();
  log.info('worker stopped');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`reelsmith-worker: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
