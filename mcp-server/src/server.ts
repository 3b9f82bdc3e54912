import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { refuseVideoSubscriptions, registerVideoSubscriptions } from './resources/subscriptions.js';
import { registerVideoFileResources } from './resources/video-files.js';
import { registerVideoResources } from './resources/videos.js';
import type { ServerDeps } from './server-deps.js';
import { VideoTaskStore } from './tasks/video-task-store.js';
import { registerTools } from './tools/index.js';
import { RESOURCE_MEDIA } from './viewer/viewer-media.js';
import { registerViewerResource } from './viewer/viewer-resource.js';

export type { ServerDeps } from './server-deps.js';

export const SERVER_NAME = 'reelsmith';
export const SERVER_VERSION = '0.1.0';

const INSTRUCTIONS = `Reelsmith makes short videos (ads and music videos) from a prompt.
Typical flow: plan_video and estimate_cost (free) → create_video (answers at once with video_id) → get_video until done is true (or pass wait_seconds ≤ 50) → open final_video → revise with regenerate_scene / lipsync_scene / stitch_video.
Scenes are numbered from 1. Images and audio go in as https URLs or base64 with mime_type. Files come back as resource links; each video is also the resource reelsmith://videos/{id}.
Videos the person made in Discord or Slack become visible here once linked: link_account with the code /video link shows there (or without a code, to get one to type there); unlink_account undoes it.
create_video, regenerate_scene, lipsync_scene, render_video and approve_video also run as MCP tasks (execution.taskSupport optional): tasks/get follows the video, tasks/result returns what get_video returns.
Hosts with MCP Apps show create_video and get_video results in a viewer (ui://reelsmith/video.html) with a player and a card per scene.
When provider is "animatic" the clips are local previews drawn from the storyboard, not real model output, and nothing is charged.`;
const SUBSCRIBE_INSTRUCTIONS =
  'Subscribe to reelsmith://videos/{id} (resources/subscribe) to hear of every change of that video.';

export interface ReelsmithMcpServer {
  server: McpServer;
  close(): Promise<void>;
}

/**
 * One MCP server for one identity (`deps.owner`): every tool, the video resources (with
 * subscriptions unless `deps.subscriptions` is false), the viewer and MCP tasks (2025-11-25, kept in
 * Postgres through the service, so any instance answers for them), on no transport yet. The caller
 * connects it (stdio, Streamable HTTP, in-memory) and closes it; closing stops its subscriptions and
 * leaves the service open, since several servers (HTTP sessions) share it.
 */
export function createServer(deps: ServerDeps): ReelsmithMcpServer {
  const subscribable = deps.subscriptions ?? true;
  const media = deps.viewerMedia ?? RESOURCE_MEDIA;
  const server = new McpServer(
    { name: SERVER_NAME, title: 'Reelsmith', version: SERVER_VERSION },
    {
      instructions: subscribable ? `${INSTRUCTIONS}\n${SUBSCRIBE_INSTRUCTIONS}` : INSTRUCTIONS,
      capabilities: {
        resources: { listChanged: true, ...(subscribable ? { subscribe: true } : {}) },
        tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } },
      },
      // tasks/result is get_video's answer, viewer media included.
      taskStore: new VideoTaskStore({ ...deps, viewerMedia: media }),
    },
  );
  const subscriptions = subscribable ? registerVideoSubscriptions(server, deps) : refuseVideoSubscriptions(server);
  const toolDeps: ServerDeps = {
    ...deps,
    viewerMedia: media,
    videoChanged: (videoId) => {
      deps.videoChanged?.(videoId);
      subscriptions.changed(videoId);
    },
  };
  registerTools(server, toolDeps);
  registerVideoResources(server, toolDeps);
  registerVideoFileResources(server, toolDeps);
  registerViewerResource(server, media);
  return {
    server,
    async close() {
      subscriptions.close();
      await server.close();
    },
  };
}
