import type { OpenReelsmithOptions } from './app.js';
import type { Config } from './config.js';
import { loadModelRegistry } from './models/registry.js';
import { createPlanner } from './plan/llm/index.js';
import { type CatalogService, createCatalogService } from './service/catalog.js';

/**
 * The catalog verbs without a database, a queue or providers (plan, estimate, models, flavors): what
 * the CLI opens for commands that store nothing, so they start fast and stay small.
 */
export function openCatalog(config: Config, options: OpenReelsmithOptions): CatalogService {
  const registry = loadModelRegistry(config.modelRegistryFile);
  registry.get(config.generation.defaultVideoModel, 'video');
  const { apiKey, baseUrl, model } = config.llm;
  return createCatalogService({
    registry,
    planner: createPlanner({ log: options.log, ...(apiKey ? { llm: { apiKey, baseUrl, model } } : {}) }),
    defaultVideoModel: config.generation.defaultVideoModel,
    provider: options.provider ?? (config.replicate.apiToken ? 'replicate' : 'animatic'),
  });
}
