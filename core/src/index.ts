/**
 * The public face of the core for fronts (bots, MCP server, CLI): configuration, logging and
 * error classes today; the VideoService arrives with the core-pipeline issue. Fronts never
 * import the database, storage, media or providers directly (DESIGN.md §2).
 */
export { type Config, ConfigError, ENV_VARIABLES, loadConfig } from './config.js';
export * from './errors.js';
export { type CreateLoggerOptions, createLogger, type Logger } from './log.js';

// The wired app, the VideoService and the vocabulary the fronts share (bots, MCP server).

export type { Core, OpenCoreOptions, OpenReelsmithOptions, Reelsmith } from './app.js';
export { openCatalog } from './open-catalog.js';

type App = typeof import('./app.js');

/**
 * `openCore` and `openReelsmith` (see app.ts) load the app's modules — database, pipeline,
 * providers, runners — on their first call rather than when the core is imported: a front starts
 * on config, logging, errors and the catalog, and pays for the rest when it opens the app (the MCP
 * stdio server answers `tools/list` while that happens in the background).
 */
export async function openCore(...args: Parameters<App['openCore']>): ReturnType<App['openCore']> {
  return (await import('./app.js')).openCore(...args);
}

/** See `openCore`: the wired front app (core, runner, VideoService), its modules loaded on first call. */
export async function openReelsmith(...args: Parameters<App['openReelsmith']>): ReturnType<App['openReelsmith']> {
  return (await import('./app.js')).openReelsmith(...args);
}

/** See `openCore`: the storage verbs (`reelsmith storage …`), their modules loaded on first call. */
export async function openStorageAdmin(
  ...args: Parameters<App['openStorageAdmin']>
): ReturnType<App['openStorageAdmin']> {
  return (await import('./app.js')).openStorageAdmin(...args);
}
export type { AssetSource, AssetView } from './assets/add-asset.js';
export { ACTIVE_VIDEO_STATUSES, type McpTaskStatus, VIDEO_STATUSES, type VideoStatus } from './db/schema.js';
export type { VideoEvent } from './events/types.js';
export type { PlanRequest } from './plan/plan-request.js';
export { MAX_DURATION_S, MIN_DURATION_S, type Plan, PlanSchema } from './plan/schema.js';
export type { NotifyQueueName } from './runners/queue/names.js';
export type { NotificationConsumer } from './runners/queue/notification-consumer.js';
export type { NotificationJobData } from './runners/queue/notifier.js';
export type {
  AssetMatchKind,
  AssetSearchHit,
  AssetSearchQuery,
  AssetSearchResult,
  AssetSearchSettings,
  ListAssetsRequest,
  SearchAssetsOptions,
} from './service/asset-types.js';
export type { AssetLibraryService } from './service/assets.js';
export type { FlavorInfo, ModelInfo } from './service/catalog.js';
export type { DeliveryFile, DeliveryService, DeliveryView } from './service/delivery.js';
export type { McpTaskService, McpTaskView, OpenMcpTaskOptions } from './service/mcp-tasks.js';
export type { StorageAdmin, StorageUsageView } from './service/storage-admin.js';
export type {
  AccountView,
  CreateVideoRequest,
  Estimate,
  FileLink,
  IdentityView,
  LinkCodeView,
  Origin,
  Owner,
  SceneView,
  UnlinkView,
  VideoSummary,
  VideoView,
} from './service/types.js';
export type { VideoService } from './service/video-service.js';
