import { createReplicateApi, type ReplicateApi } from './api.js';
import { type ReplicateProvidersOptions, type ReplicateSettings, resolveSettings } from './options.js';
import { createWebhookHub, type WebhookHub } from './webhook-hub.js';

/** What every provider of the adapter shares: settings, the API client, the webhook hub. */
export interface Engine {
  settings: ReplicateSettings;
  api: ReplicateApi;
  hub: WebhookHub;
}

/** Builds the shared parts from the adapter's options. */
export function createEngine(options: ReplicateProvidersOptions): Engine {
  const settings = resolveSettings(options);
  const api = createReplicateApi({
    apiToken: options.apiToken,
    baseUrl: (options.baseUrl ?? 'https://api.replicate.com/v1').replace(/\/+$/, ''),
    fetch: settings.fetch,
    requestTimeoutMs: settings.requestTimeoutMs,
    attempts: settings.requestAttempts,
    backoff: settings.backoff,
    random: settings.random,
    log: settings.log,
  });
  return { settings, api, hub: createWebhookHub() };
}
