import type { Logger, Owner, VideoService } from '@reelsmith/core';

/**
 * What one MCP server instance needs. The service hides the runner (in-process or a queue), so the
 * server never knows which one runs the videos. One instance serves one identity: stdio has one,
 * Streamable HTTP builds an instance per session for the session's bearer-token user.
 */
export interface ServerDeps {
  service: VideoService;
  log: Logger;
  /** Who every call acts for. Another owner's video id behaves as not found. */
  owner: Owner;
  /** How often a waiting tool re-reads the video besides its live events (ms); default 1000. */
  pollIntervalMs?: number;
}
