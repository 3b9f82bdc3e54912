/**
 * A fake of Replicate's HTTP API for tests and local runs: the real `replicate` client talks to it
 * over loopback and gets real media back. See `startFakeReplicate`.
 */
export { MODERATION_ERROR, throttleBody } from './faults.js';
export { startFakeReplicate } from './server.js';
export type {
  FakeFaultRule,
  FakeFaults,
  FakePredictionInfo,
  FakePredictionStatus,
  FakeReplicate,
  FakeReplicateOptions,
  WirePrediction,
} from './types.js';
export { signWebhook } from './webhooks.js';
