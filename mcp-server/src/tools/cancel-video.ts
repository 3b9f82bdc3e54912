import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { videoIdField } from '../inputs/fields.js';
import { runTool } from '../output/tool-result.js';
import { VideoOutputSchema } from '../output/video-output.js';
import { videoResult } from '../output/video-result.js';
import type { ServerDeps } from '../server-deps.js';
import { registerTool } from './register-tool.js';

/** cancel_video: stops a video's work and removes its partial files. Cancelling twice is harmless. */
export function registerCancelVideoTool(server: McpServer, deps: ServerDeps): void {
  registerTool(
    server,
    deps,
    'cancel_video',
    {
      title: 'Cancel a video',
      description:
        'Stop a video that is waiting or in progress and remove its partial files. A ready or failed video cannot be cancelled.',
      inputSchema: { video_id: videoIdField },
      outputSchema: VideoOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    (args) =>
      runTool(deps, 'cancel_video', async () => videoResult(await deps.service.cancel(deps.owner, args.video_id))),
  );
}
