import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { sceneField, videoIdField, waitSecondsField } from '../inputs/fields.js';
import { runTool } from '../output/tool-result.js';
import { VideoOutputSchema } from '../output/video-output.js';
import { videoResult } from '../output/video-result.js';
import { waitForVideo } from '../progress/wait-for-video.js';
import type { ServerDeps } from '../server-deps.js';
import { PAID } from './annotations.js';

/** regenerate_scene: a new version of one scene (optionally with a new prompt), then a re-stitched, re-scored take. */
export function registerRegenerateSceneTool(server: McpServer, deps: ServerDeps): void {
  server.registerTool(
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
      outputSchema: VideoOutputSchema,
      annotations: PAID,
    },
    (args, extra) =>
      runTool(deps, 'regenerate_scene', async () => {
        const view = await deps.service.regenerateScene(
          deps.owner,
          args.video_id,
          args.scene,
          args.prompt !== undefined ? { prompt: args.prompt } : {},
        );
        return videoResult(await waitForVideo(deps, extra, view, args.wait_seconds ?? 0));
      }),
  );
}
