import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { assetIdField } from '../inputs/asset-fields.js';
import { AssetListOutputSchema, AssetOutputSchema, assetOutput } from '../output/asset-output.js';
import { runTool, toolResult } from '../output/tool-result.js';
import type { ServerDeps } from '../server-deps.js';
import { READ_ONLY } from './annotations.js';
import { registerTool } from './register-tool.js';

const LIMIT_MESSAGE = 'use a whole number from 1 to 100.';

/** list_assets and get_asset: the caller's library (uploads and character references), newest first. */
export function registerReadAssetTools(server: McpServer, deps: ServerDeps): void {
  registerTool(
    server,
    deps,
    'list_assets',
    {
      title: 'List your assets',
      description:
        'Your asset library, newest first: uploaded images and audio and generated character references, with name, tags and caption. Use an asset_id with create_video (image_asset_ids, character_reference_id) or search_assets.',
      inputSchema: {
        kind: z
          .enum(['image', 'audio', 'character_reference'], {
            error: 'use "image", "audio" or "character_reference".',
          })
          .optional(),
        tag: z
          .string({ error: 'send one tag as text, e.g. "logo".' })
          .optional()
          .describe('Only assets with this tag.'),
        limit: z
          .number({ error: LIMIT_MESSAGE })
          .int({ error: LIMIT_MESSAGE })
          .min(1, { error: LIMIT_MESSAGE })
          .max(100, { error: LIMIT_MESSAGE })
          .optional()
          .describe('1–100, default 20.'),
      },
      outputSchema: AssetListOutputSchema,
      annotations: READ_ONLY,
    },
    (args) =>
      runTool(deps, 'list_assets', async () => {
        const assets = await deps.service.listAssets(deps.owner, {
          ...(args.kind ? { kind: args.kind } : {}),
          ...(args.tag !== undefined ? { tag: args.tag } : {}),
          ...(args.limit !== undefined ? { limit: args.limit } : {}),
        });
        return toolResult(AssetListOutputSchema, { assets: assets.map(assetOutput) });
      }),
  );

  registerTool(
    server,
    deps,
    'get_asset',
    {
      title: 'Show an asset',
      description: 'One asset of your library: name, tags, caption, file facts, whether it is embedded for search.',
      inputSchema: { asset_id: assetIdField },
      outputSchema: AssetOutputSchema,
      annotations: READ_ONLY,
    },
    (args) =>
      runTool(deps, 'get_asset', async () =>
        toolResult(AssetOutputSchema, { asset: assetOutput(await deps.service.showAsset(deps.owner, args.asset_id)) }),
      ),
  );
}
