/**
 * The public face of the core for fronts (bots, MCP server, CLI): configuration, logging and
 * error classes today; the VideoService arrives with the core-pipeline issue. Fronts never
 * import the database, storage, media or providers directly (DESIGN.md §2).
 */
export { type Config, ConfigError, ENV_VARIABLES, loadConfig } from './config.js';
export * from './errors.js';
export { type CreateLoggerOptions, createLogger, type Logger } from './log.js';

// The wired app, the VideoService and the vocabulary the fronts share (bots, MCP server).

export {
  type Core,
  type OpenCoreOptions,
  type OpenReelsmithOptions,
  openCatalog,
  openCore,
  openReelsmith,
  openStorageAdmin,
  type Reelsmith,
} from './app.js';
export type { AssetSource, AssetView } from './assets/add-asset.js';
export { ACTIVE_VIDEO_STATUSES, VIDEO_STATUSES, type VideoStatus } from './db/schema.js';
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
export type { StorageAdmin, StorageUsageView } from './service/storage-admin.js';
export type {
  CreateVideoRequest,
  Estimate,
  FileLink,
  Origin,
  Owner,
  SceneView,
  VideoSummary,
  VideoView,
} from './service/types.js';
export type { VideoService } from './service/video-service.js';
