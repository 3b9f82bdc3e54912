import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { videoIdField, waitSecondsField } from '../inputs/fields.js';
import type { ServerDeps } from '../server-deps.js';
import { registerVideoTaskTool } from '../tasks/video-task-tool.js';
import { PAID } from './annotations.js';

/** render_video: makes the paid video from a ready preview (create_video with preview: true). */
export function registerRenderVideoTool(server: McpServer, deps: ServerDeps): void {
  registerVideoTaskTool(
    server,
    deps,
    'render_video',
    {
      title: 'Render a preview',
      description:
        'Make the paid video from a ready preview (one made with create_video preview: true): the same plan, scenes and prompts (edited ones included), flavor and model, no new planning. A new video whose preview_of names the preview; the estimate, daily budget and approval threshold apply (it may answer awaiting_approval: approve it with approve_video). Asking again for an unchanged preview returns the same render (unless it failed or was cancelled), so a retry never pays twice. Refused for a video that is not a preview or a preview still running. Answers at once unless wait_seconds is given.',
      inputSchema: { video_id: videoIdField, wait_seconds: waitSecondsField },
      annotations: PAID,
    },
    async (args) => {
      const view = await deps.service.render(deps.owner, args.video_id);
      server.sendResourceListChanged();
      return view;
    },
  );
}
