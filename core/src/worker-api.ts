/**
 * What the worker process (`worker/`) builds on: the step catalog, the queue runtime, the step and
 * coordinator job processing, recovery, and the Replicate webhook handler. Fronts use `index.ts`.
 */
export { type Core, openCore } from './app.js';
export { findStep, recordStepFailed, SETTLED_STEP_STATUSES } from './db/steps.js';
export { findWorkById } from './db/works.js';
export { isStepName, STEP_NAMES, STEPS, type StepName, stepNamed } from './jobs/catalog.js';
export { retryDelayMs } from './jobs/run-node.js';
export { createReplicateWebhookHandler, type ReplicateProviders } from './providers/replicate/index.js';
export { advanceWork, kickWork } from './runners/queue/advance.js';
export { StepJobData } from './runners/queue/job-data.js';
export { channelName, QUEUE_NAMES } from './runners/queue/names.js';
export {
  createNotificationConsumer,
  type NotificationConsumer,
  type NotificationConsumerOptions,
} from './runners/queue/notification-consumer.js';
export type { NotificationJobData } from './runners/queue/notifier.js';
export { type RecoveryReport, recoverWorks } from './runners/queue/recovery.js';
export { describeRedisUrl } from './runners/queue/redis.js';
export type { QueueRuntime } from './runners/queue/runtime.js';
export { ActiveJobs, processStepJob, processWorkJob, type StepJobDeps } from './runners/queue/step-job.js';
export { type SweepReport, sweepIntermediates } from './storage/lifecycle/sweep.js';
