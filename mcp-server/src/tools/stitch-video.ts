import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { videoIdField, waitSecondsField } from '../inputs/fields.js';
import { runTool } from '../output/tool-result.js';
import { VideoOutputSchema } from '../output/video-output.js';
import { videoResult } from '../output/video-result.js';
import { waitForVideo } from '../progress/wait-for-video.js';
import type { ServerDeps } from '../server-deps.js';
import { LOCAL_WRITE } from './annotations.js';
import { registerTool } from './register-tool.js';

/** stitch_video: a new take from every scene's current clip, re-scored. Local work only. */
export function registerStitchVideoTool(server: McpServer, deps: ServerDeps): void {
  registerTool(
    server,
    deps,
    'stitch_video',
    {
      title: 'Re-stitch a video',
      description:
        "Stitch a new take from every scene's current version and score it again (local work, nothing is paid). Answers at once unless wait_seconds is given.",
      inputSchema: { video_id: videoIdField, wait_seconds: waitSecondsField },
      outputSchema: VideoOutputSchema,
      annotations: LOCAL_WRITE,
    },
    (args, extra) =>
      runTool(deps, 'stitch_video', async () => {
        const view = await deps.service.restitch(deps.owner, args.video_id);
        deps.videoChanged?.(view.videoId);
        return videoResult(await waitForVideo(deps, extra, view, args.wait_seconds ?? 0));
      }),
  );
}
