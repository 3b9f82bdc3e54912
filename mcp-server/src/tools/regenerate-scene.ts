import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { sceneField, videoIdField, waitSecondsField } from '../inputs/fields.js';
import type { ServerDeps } from '../server-deps.js';
import { registerVideoTaskTool } from '../tasks/video-task-tool.js';
import { PAID } from './annotations.js';

/** regenerate_scene: a new version of one scene (optionally with a new prompt), then a re-stitched, re-scored take. */
export function registerRegenerateSceneTool(server: McpServer, deps: ServerDeps): void {
  registerVideoTaskTool(
    server,
    deps,
    'regenerate_scene',
    {
      title: 'Regenerate a scene',
      description:
        'Make a new version of one scene of a ready (or failed) video, optionally with a new prompt; the video is then re-stitched and re-scored as a new take. Earlier versions are kept. Answers at once unless wait_seconds is given.',
      inputSchema: {
        video_id: videoIdField,
        scene: sceneField,
        prompt: z.string().optional().describe("A new prompt for the scene; default the scene's current prompt."),
        wait_seconds: waitSecondsField,
      },
      annotations: PAID,
    },
    async (args) => {
      const view = await deps.service.regenerateScene(
        deps.owner,
        args.video_id,
        args.scene,
        args.prompt !== undefined ? { prompt: args.prompt } : {},
      );
      deps.videoChanged?.(view.videoId);
      return view;
    },
  );
}
