import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  ErrorCode,
  McpError,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { videoResourceUri } from '../output/video-output.js';
import type { ServerDeps } from '../server-deps.js';
import { asResourceRequest } from './resource-errors.js';

const VIDEO_URI = /^reelsmith:\/\/videos\/([^/?#]+)$/;
const RETRY_MS = 1000;

export interface VideoSubscriptions {
  /** Sends `notifications/resources/updated` for the video when this client subscribed to it. */
  changed(videoId: string): void;
  /** Stops following every subscribed video. */
  close(): void;
}

/**
 * `resources/subscribe` and `resources/unsubscribe` for `reelsmith://videos/{id}` (capability
 * `resources.subscribe`). Subscribing checks the owner like a read (another user's video is not
 * found, and nothing is recorded); from then on every event of the video (`service.events`: progress,
 * scene ready, ready, failed, cancelled, queued, approval), whichever process emits it, and every
 * change this server's tools make (`changed`) sends `notifications/resources/updated` with the uri,
 * across runs (a regenerate after the video was ready), until unsubscribe or the server closes.
 * Subscribing twice is one subscription; unsubscribing an unknown uri is a no-op.
 */
export function registerVideoSubscriptions(server: McpServer, deps: ServerDeps): VideoSubscriptions {
  const { service, owner, log } = deps;
  const following = new Map<string, AbortController>();

  const notify = (uri: string) =>
    void server.server
      .sendResourceUpdated({ uri })
      .catch((error: unknown) => log.debug({ err: error, uri }, 'resource update not delivered'));

  /** Follows the video's events run after run: `service.events` ends with each run's last event. */
  const follow = async (videoId: string, uri: string, signal: AbortSignal) => {
    while (!signal.aborted) {
      try {
        for await (const _event of service.events(videoId, signal)) notify(uri);
      } catch (error) {
        if (signal.aborted) return;
        log.warn({ err: error, videoId }, 'following a subscribed video failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  };

  server.server.setRequestHandler(SubscribeRequestSchema, async (request) => {
    const uri = request.params.uri;
    const videoId = subscribableVideoId(uri);
    await asResourceRequest(uri, () => service.get(owner, videoId));
    if (!following.has(uri)) {
      const stop = new AbortController();
      following.set(uri, stop);
      void follow(videoId, uri, stop.signal);
    }
    return {};
  });

  server.server.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
    following.get(request.params.uri)?.abort();
    following.delete(request.params.uri);
    return {};
  });

  return {
    changed(videoId) {
      const uri = videoResourceUri(videoId);
      if (following.has(uri)) notify(uri);
    },
    close() {
      for (const stop of following.values()) stop.abort();
      following.clear();
    },
  };
}

function subscribableVideoId(uri: string): string {
  const match = VIDEO_URI.exec(uri);
  if (!match?.[1]) {
    throw new McpError(
      ErrorCode.InvalidParams,
      `Only videos can be subscribed to: send a reelsmith://videos/{id} uri (from resources/list or get_video's resource_uri), not ${uri}.`,
      { uri },
    );
  }
  return decodeURIComponent(match[1]);
}

/** What a stateless server answers to `resources/subscribe`: why it cannot, and what to use instead. */
export const SUBSCRIBE_NEEDS_SESSION =
  'resources/subscribe needs a session, and this server is stateless (MCP_HTTP_MODE=stateless): nothing can reach you between your own requests. Follow a video with get_video (wait_seconds ≤ 50) or as an MCP task (tasks/get), or ask the operator to run the server with MCP_HTTP_MODE=sessions.';

/**
 * For a server without subscriptions (stateless HTTP, which does not advertise
 * `resources.subscribe`): subscribe is refused with `SUBSCRIBE_NEEDS_SESSION` (-32601, method not
 * found, as the spec answers for a capability the server lacks) and nothing is recorded;
 * unsubscribe is a no-op, like an unknown uri.
 */
export function refuseVideoSubscriptions(server: McpServer): VideoSubscriptions {
  server.server.setRequestHandler(SubscribeRequestSchema, async (request) => {
    throw new McpError(ErrorCode.MethodNotFound, SUBSCRIBE_NEEDS_SESSION, { uri: request.params.uri });
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, async () => ({}));
  return { changed() {}, close() {} };
}
