import type { Logger, Owner, VideoService } from '@reelsmith/core';
import type { ViewerMedia } from './viewer/viewer-media.js';

/**
 * What one MCP server instance needs. The service hides the runner (in-process or a queue), so the
 * server never knows which one runs the videos. One instance serves one identity: stdio has one,
 * Streamable HTTP builds one per session (or, stateless, per request) for the bearer token's user.
 */
export interface ServerDeps {
  service: VideoService;
  log: Logger;
  /** Who every call acts for. Another owner's video id behaves as not found. */
  owner: Owner;
  /** How often a waiting tool re-reads the video besides its live events (ms); default 1000. */
  pollIntervalMs?: number;
  /** The poll interval MCP tasks suggest to clients (ms); default 2000. */
  taskPollIntervalMs?: number;
  /**
   * Where the viewer (`ui://reelsmith/video.html`) loads media from; default every file as a
   * `reelsmith://videos/{id}/files/{name}` resource (stdio). The HTTP app passes signed media URLs.
   */
  viewerMedia?: ViewerMedia;
  /**
   * Called by the tools that change a video without a live event (regenerate, lipsync, stitch, pick
   * a reference) as soon as the change is made; `createServer` points it at resource subscriptions.
   */
  videoChanged?: (videoId: string) => void;
  /**
   * Whether `resources/subscribe` works (default true). False where nothing can reach the client
   * between its own requests (stateless Streamable HTTP): `resources.subscribe` is not advertised
   * and a subscribe is refused with a message saying what to do instead.
   */
  subscriptions?: boolean;
}
