import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { videoIdField, waitSecondsField } from '../inputs/fields.js';
import { runTool } from '../output/tool-result.js';
import { VideoOutputSchema } from '../output/video-output.js';
import { videoResult } from '../output/video-result.js';
import { waitForVideo } from '../progress/wait-for-video.js';
import type { ServerDeps } from '../server-deps.js';
import { VIEWER_TOOL_META } from '../viewer/viewer-resource.js';
import { READ_ONLY } from './annotations.js';
import { registerTool } from './register-tool.js';

/** get_video: everything about one of your videos; optionally waits (≤ 50 s) for running work to finish; shown in the viewer. */
export function registerGetVideoTool(server: McpServer, deps: ServerDeps): void {
  registerTool(
    server,
    deps,
    'get_video',
    {
      title: 'Get a video',
      description:
        'Status, stage, progress, scenes (with their versions and prompts), cost, provider and links of one of your videos. Poll it until done is true, or pass wait_seconds (≤ 50) to wait with progress notifications.',
      inputSchema: { video_id: videoIdField, wait_seconds: waitSecondsField },
      outputSchema: VideoOutputSchema,
      annotations: READ_ONLY,
      _meta: VIEWER_TOOL_META,
    },
    (args, extra) =>
      runTool(deps, 'get_video', async () => {
        const view = await deps.service.get(deps.owner, args.video_id);
        return videoResult(await waitForVideo(deps, extra, view, args.wait_seconds ?? 0), deps.viewerMedia);
      }),
  );
}
