import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { type AssetSearchQuery, UserError } from '@reelsmith/core';
import { z } from 'zod';
import { AssetSearchOutputSchema, searchOutput } from '../output/asset-output.js';
import { runTool, toolResult } from '../output/tool-result.js';
import type { ServerDeps } from '../server-deps.js';
import { READ_ONLY } from './annotations.js';
import { registerTool } from './register-tool.js';

const LIMIT_MESSAGE = 'use a whole number from 1 to 50.';

/** search_assets: by text, by similarity to one asset, or by the style of several (their centroid). */
export function registerSearchAssetsTool(server: McpServer, deps: ServerDeps): void {
  registerTool(
    server,
    deps,
    'search_assets',
    {
      title: 'Search your assets',
      description:
        'Find assets in your library. Give exactly one of: text (e.g. "blue energy drink can"), similar_to (an asset id: visually similar assets), style_of (several asset ids: assets nearest to their average style). Each hit has a score; hits below min_score are left out; the result says which kind of match it is.',
      inputSchema: {
        text: z.string({ error: 'describe what to find as text, e.g. "blue energy drink can".' }).optional(),
        similar_to: z.string({ error: 'send an asset id from list_assets.' }).optional(),
        style_of: z.array(z.string(), { error: 'send a list of asset ids from list_assets.' }).optional(),
        limit: z
          .number({ error: LIMIT_MESSAGE })
          .int({ error: LIMIT_MESSAGE })
          .min(1, { error: LIMIT_MESSAGE })
          .max(50, { error: LIMIT_MESSAGE })
          .optional()
          .describe('1–50, default 10.'),
        min_score: z
          .number({ error: 'use a number from 0 to 1.' })
          .min(0, { error: 'use a number from 0 to 1.' })
          .max(1, { error: 'use a number from 0 to 1.' })
          .optional()
          .describe('Override the deployment minimum (0.25 for text, 0.7 for image similarity by default).'),
      },
      outputSchema: AssetSearchOutputSchema,
      annotations: READ_ONLY,
    },
    (args) =>
      runTool(deps, 'search_assets', async () => {
        const result = await deps.service.searchAssets(deps.owner, queryOf(args), {
          ...(args.limit !== undefined ? { limit: args.limit } : {}),
          ...(args.min_score !== undefined ? { minScore: args.min_score } : {}),
        });
        return toolResult(AssetSearchOutputSchema, searchOutput(result));
      }),
  );
}

function queryOf(args: {
  text?: string | undefined;
  similar_to?: string | undefined;
  style_of?: string[] | undefined;
}): AssetSearchQuery {
  const given = [args.text, args.similar_to, args.style_of].filter((value) => value !== undefined).length;
  if (given !== 1)
    throw new UserError(
      given === 0 ? 'empty_query' : 'ambiguous_query',
      'Give exactly one of text, similar_to or style_of.',
    );
  if (args.text !== undefined) return { text: args.text };
  if (args.similar_to !== undefined) return { similarTo: args.similar_to };
  return { styleOf: args.style_of ?? [] };
}
