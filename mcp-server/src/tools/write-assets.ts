import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { assetIdField, tagListField } from '../inputs/asset-fields.js';
import { mediaField } from '../inputs/fields.js';
import { toAssetSource } from '../inputs/media-input.js';
import { AssetOutputSchema, assetOutput } from '../output/asset-output.js';
import { runTool, toolResult } from '../output/tool-result.js';
import type { ServerDeps } from '../server-deps.js';
import { LOCAL_WRITE } from './annotations.js';
import { registerTool } from './register-tool.js';

const DeletedOutputSchema = z.object({ asset_id: z.string(), deleted: z.literal(true) });

/** add_asset, rename_asset, tag_asset, delete_asset: changes to the caller's library (nothing is paid). */
export function registerWriteAssetTools(server: McpServer, deps: ServerDeps): void {
  registerTool(
    server,
    deps,
    'add_asset',
    {
      title: 'Add an asset',
      description:
        'Add an image (PNG, JPEG or WebP, ≤ 10 MiB, ≤ 4096×4096 px) or an audio track to your library, optionally named and tagged. Images get a thumbnail and an embedding for search_assets.',
      inputSchema: {
        file: mediaField,
        kind: z.enum(['image', 'audio'], { error: 'use "image" or "audio".' }).optional().describe('Default image.'),
        name: z.string({ error: 'send the name as text.' }).optional().describe('Default: the file name.'),
        tags: tagListField.optional(),
      },
      outputSchema: AssetOutputSchema,
      annotations: LOCAL_WRITE,
    },
    (args) =>
      runTool(deps, 'add_asset', async () => {
        const kind = args.kind ?? 'image';
        const source = toAssetSource(args.file, kind, 'file');
        let asset = await deps.service.addAsset(deps.owner, source, kind);
        if (args.name !== undefined) asset = await deps.service.renameAsset(deps.owner, asset.assetId, args.name);
        if (args.tags?.length) asset = await deps.service.tagAsset(deps.owner, asset.assetId, { add: args.tags });
        return toolResult(AssetOutputSchema, { asset: assetOutput(asset) });
      }),
  );

  registerTool(
    server,
    deps,
    'rename_asset',
    {
      title: 'Rename an asset',
      description: 'Give an asset a new name (1–100 characters). The file itself does not move.',
      inputSchema: { asset_id: assetIdField, name: z.string({ error: 'send the new name as text.' }) },
      outputSchema: AssetOutputSchema,
      annotations: { ...LOCAL_WRITE, idempotentHint: true },
    },
    (args) =>
      runTool(deps, 'rename_asset', async () =>
        toolResult(AssetOutputSchema, {
          asset: assetOutput(await deps.service.renameAsset(deps.owner, args.asset_id, args.name)),
        }),
      ),
  );

  registerTool(
    server,
    deps,
    'tag_asset',
    {
      title: 'Tag an asset',
      description: 'Add and/or remove tags (each 1–50 characters, stored lower-case; at most 30 per asset).',
      inputSchema: { asset_id: assetIdField, add: tagListField.optional(), remove: tagListField.optional() },
      outputSchema: AssetOutputSchema,
      annotations: { ...LOCAL_WRITE, idempotentHint: true },
    },
    (args) =>
      runTool(deps, 'tag_asset', async () =>
        toolResult(AssetOutputSchema, {
          asset: assetOutput(
            await deps.service.tagAsset(deps.owner, args.asset_id, { add: args.add ?? [], remove: args.remove ?? [] }),
          ),
        }),
      ),
  );

  registerTool(
    server,
    deps,
    'delete_asset',
    {
      title: 'Delete an asset',
      description:
        'Delete an asset, its file, thumbnail and embedding. Refused while a video in progress uses it (the refusal names the videos).',
      inputSchema: { asset_id: assetIdField },
      outputSchema: DeletedOutputSchema,
      annotations: { ...LOCAL_WRITE, destructiveHint: true },
    },
    (args) =>
      runTool(deps, 'delete_asset', async () => {
        const deleted = await deps.service.deleteAsset(deps.owner, args.asset_id);
        return toolResult(DeletedOutputSchema, { asset_id: deleted.assetId, deleted: true });
      }),
  );
}
