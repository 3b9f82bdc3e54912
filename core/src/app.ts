import { join } from 'node:path';
import type { Config } from './config.js';
import { openDatabase } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import type { Logger } from './log.js';
import { configureMediaBinaries } from './media/binaries.js';
import { loadModelRegistry } from './models/registry.js';
import { createEventBus } from './pipeline/events.js';
import { createPlanner } from './plan/llm/index.js';
import { createProviders } from './providers/index.js';
import type { ProviderName } from './providers/types.js';
import { createInlineRunner } from './runners/inline-runner.js';
import { createVideoService, type VideoService } from './service/video-service.js';
import { createBlobStore } from './storage/index.js';

export interface Reelsmith {
  service: VideoService;
  /** Where the data lives, safe to print. */
  database: { kind: 'postgres' | 'pglite'; location: string };
  provider: ProviderName;
  close(): Promise<void>;
}

export interface OpenReelsmithOptions {
  log: Logger;
  provider?: ProviderName;
}

/**
 * Wires one in-process Reelsmith from a parsed config: database (migrated), storage, model
 * registry, providers, the InlineRunner and the VideoService. Fronts call `service` only.
 */
export async function openReelsmith(config: Config, options: OpenReelsmithOptions): Promise<Reelsmith> {
  const { log } = options;
  configureMediaBinaries({ ffmpegPath: config.media.ffmpegPath, ffprobePath: config.media.ffprobePath });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(database.db);
    const storage = createBlobStore({ dataDir: config.dataDir, ...(config.s3 ? { s3: config.s3 } : {}) });
    const registry = loadModelRegistry();
    registry.get(config.generation.defaultVideoModel, 'video');
    const providers = createProviders(config, {
      log,
      provider: options.provider,
      db: database.db,
      storage,
      registry,
    });
    const events = createEventBus();
    const { apiKey, baseUrl, model } = config.llm;
    const planner = createPlanner({ log, ...(apiKey ? { llm: { apiKey, baseUrl, model } } : {}) });
    const runner = createInlineRunner({
      db: database.db,
      storage,
      providers,
      registry,
      planner,
      log,
      events,
      workRoot: join(config.dataDir, 'work'),
      limits: { provider: config.generation.providerConcurrency, local: 2 },
      budget: { dailyUsd: config.generation.dailyBudgetUsd },
    });
    const service = createVideoService({
      db: database.db,
      storage,
      registry,
      planner,
      runner,
      events,
      providers,
      defaultVideoModel: config.generation.defaultVideoModel,
      log,
      dailyBudgetUsd: config.generation.dailyBudgetUsd,
      approvalThresholdUsd: config.generation.approvalThresholdUsd,
    });
    return {
      service,
      database: { kind: database.kind, location: database.location },
      provider: providers.name,
      async close() {
        await runner.close();
        await storage.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
