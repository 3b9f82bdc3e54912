import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { runTool, toolResult } from '../output/tool-result.js';
import type { ServerDeps } from '../server-deps.js';
import { PAID } from './annotations.js';
import { registerTool } from './register-tool.js';

const COUNT_MESSAGE = 'use a whole number from 1 to 4.';

const ReferencesOutputSchema = z.object({
  references: z.array(
    z.object({
      asset_id: z.string(),
      filename: z.string(),
      mime_type: z.string(),
      width: z.int().nullable(),
      height: z.int().nullable(),
    }),
  ),
  next_step: z.string(),
});

/** create_character_references: 1–4 candidate pictures of one character, stored as assets to pick from. */
export function registerCreateCharacterReferencesTool(server: McpServer, deps: ServerDeps): void {
  registerTool(
    server,
    deps,
    'create_character_references',
    {
      title: 'Create character references',
      description:
        'Generate 1–4 candidate pictures of one character from a description (paid image generation unless the local animatic is in use). Use one with create_video (character_reference_id) or pick_character_reference.',
      inputSchema: {
        description: z
          .string({
            error: 'describe the character as text, e.g. "a red-haired violinist in a silver coat".',
          })
          .describe('Who the character is and how they look.'),
        count: z
          .number({ error: COUNT_MESSAGE })
          .int({ error: COUNT_MESSAGE })
          .min(1, { error: COUNT_MESSAGE })
          .max(4, { error: COUNT_MESSAGE })
          .optional()
          .describe('How many candidates, 1–4; default 2.'),
      },
      outputSchema: ReferencesOutputSchema,
      annotations: PAID,
    },
    (args) =>
      runTool(deps, 'create_character_references', async () => {
        const assets = await deps.service.createCharacterReferences(deps.owner, {
          description: args.description,
          count: args.count ?? 2,
        });
        return toolResult(ReferencesOutputSchema, {
          references: assets.map((asset) => ({
            asset_id: asset.assetId,
            filename: asset.filename,
            mime_type: asset.mimeType,
            width: asset.width,
            height: asset.height,
          })),
          next_step:
            'Pass one asset_id as character_reference_id to create_video, or to pick_character_reference for a video that has not drawn its storyboard yet.',
        });
      }),
  );
}
