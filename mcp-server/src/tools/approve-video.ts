import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { videoIdField, waitSecondsField } from '../inputs/fields.js';
import { runTool } from '../output/tool-result.js';
import { VideoOutputSchema } from '../output/video-output.js';
import { videoResult } from '../output/video-result.js';
import { waitForVideo } from '../progress/wait-for-video.js';
import type { ServerDeps } from '../server-deps.js';
import { PAID } from './annotations.js';

/** approve_video: starts a video that waits because its estimate is above the approval threshold. */
export function registerApproveVideoTool(server: McpServer, deps: ServerDeps): void {
  server.registerTool(
    'approve_video',
    {
      title: 'Approve a video',
      description:
        'Start a video whose status is awaiting_approval (its estimate is above the approval threshold); nothing is paid before this. Answers at once unless wait_seconds is given.',
      inputSchema: { video_id: videoIdField, wait_seconds: waitSecondsField },
      outputSchema: VideoOutputSchema,
      annotations: PAID,
    },
    (args, extra) =>
      runTool(deps, 'approve_video', async () => {
        const view = await deps.service.approve(deps.owner, args.video_id);
        return videoResult(await waitForVideo(deps, extra, view, args.wait_seconds ?? 0));
      }),
  );
}
