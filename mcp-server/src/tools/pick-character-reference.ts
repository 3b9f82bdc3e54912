import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { videoIdField } from '../inputs/fields.js';
import { runTool } from '../output/tool-result.js';
import { VideoOutputSchema } from '../output/video-output.js';
import { videoResult } from '../output/video-result.js';
import type { ServerDeps } from '../server-deps.js';
import { registerTool } from './register-tool.js';

/** pick_character_reference: makes one of your character references condition a video's storyboard. */
export function registerPickCharacterReferenceTool(server: McpServer, deps: ServerDeps): void {
  registerTool(
    server,
    deps,
    'pick_character_reference',
    {
      title: 'Pick a character reference',
      description:
        'Make one of your character references (from create_character_references) condition a video’s storyboard. Only before the storyboard is drawn: while the video awaits approval, is queued or planning.',
      inputSchema: {
        video_id: videoIdField,
        asset_id: z
          .string({ error: 'send an asset_id from create_character_references.' })
          .describe('An asset_id from create_character_references.'),
      },
      outputSchema: VideoOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    (args) =>
      runTool(deps, 'pick_character_reference', async () => {
        const view = await deps.service.pickCharacterReference(deps.owner, args.video_id, args.asset_id);
        deps.videoChanged?.(view.videoId);
        return videoResult(view);
      }),
  );
}
