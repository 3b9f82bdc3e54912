import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { videoIdField, waitSecondsField } from '../inputs/fields.js';
import type { ServerDeps } from '../server-deps.js';
import { registerVideoTaskTool } from '../tasks/video-task-tool.js';
import { PAID } from './annotations.js';

/** approve_video: starts a video that waits because its estimate is above the approval threshold. */
export function registerApproveVideoTool(server: McpServer, deps: ServerDeps): void {
  registerVideoTaskTool(
    server,
    deps,
    'approve_video',
    {
      title: 'Approve a video',
      description:
        'Start a video whose status is awaiting_approval (its estimate is above the approval threshold); nothing is paid before this. Answers at once unless wait_seconds is given.',
      inputSchema: { video_id: videoIdField, wait_seconds: waitSecondsField },
      annotations: PAID,
    },
    (args) => deps.service.approve(deps.owner, args.video_id),
  );
}
