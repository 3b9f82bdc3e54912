import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerVideoResources } from './resources/videos.js';
import type { ServerDeps } from './server-deps.js';
import { registerTools } from './tools/index.js';

export type { ServerDeps } from './server-deps.js';

export const SERVER_NAME = 'reelsmith';
export const SERVER_VERSION = '0.1.0';

const INSTRUCTIONS = `Reelsmith makes short videos (ads and music videos) from a prompt.
Typical flow: plan_video and estimate_cost (free) → create_video (answers at once with video_id) → get_video until done is true (or pass wait_seconds ≤ 50) → open final_video → revise with regenerate_scene / lipsync_scene / stitch_video.
Scenes are numbered from 1. Images and audio go in as https URLs or base64 with mime_type. Files come back as resource links; each video is also the resource reelsmith://videos/{id}.
When provider is "animatic" the clips are local previews drawn from the storyboard, not real model output, and nothing is charged.`;

export interface ReelsmithMcpServer {
  server: McpServer;
  close(): Promise<void>;
}

/**
 * One MCP server for one identity (`deps.owner`): every tool and the video resources, on no
 * transport yet. The caller connects it (stdio, Streamable HTTP, in-memory) and closes it; closing
 * leaves the service open, since several servers (HTTP sessions) share it.
 */
export function createServer(deps: ServerDeps): ReelsmithMcpServer {
  const server = new McpServer(
    { name: SERVER_NAME, title: 'Reelsmith', version: SERVER_VERSION },
    { instructions: INSTRUCTIONS, capabilities: { resources: { listChanged: true } } },
  );
  registerTools(server, deps);
  registerVideoResources(server, deps);
  return { server, close: () => server.close() };
}
