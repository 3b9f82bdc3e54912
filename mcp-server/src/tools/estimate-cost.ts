import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { toCreateRequest, videoRequestShape } from '../inputs/video-request.js';
import { runTool, toolResult } from '../output/tool-result.js';
import type { ServerDeps } from '../server-deps.js';
import { READ_ONLY } from './annotations.js';
import { registerTool } from './register-tool.js';

const EstimateOutputSchema = z.object({
  model: z.string(),
  provider: z.string(),
  duration_seconds: z.number(),
  total_usd: z.number().describe('What the chosen models would cost on Replicate.'),
  charged_usd: z.number().describe('What this run would actually charge (0 for the local animatic).'),
  lines: z.array(
    z.object({ kind: z.string(), model: z.string(), quantity: z.number(), unit: z.string(), usd: z.number() }),
  ),
});

/** estimate_cost: what create_video would cost with the same arguments, before anything is paid. */
export function registerEstimateCostTool(server: McpServer, deps: ServerDeps): void {
  registerTool(
    server,
    deps,
    'estimate_cost',
    {
      title: 'Estimate the cost of a video',
      description:
        'What create_video would cost with these arguments (storyboard frames, every clip, the music), line by line. Costs nothing and creates nothing.',
      inputSchema: {
        ...videoRequestShape,
        has_image: z.boolean().optional().describe('Estimate as if a reference image will be given.'),
      },
      outputSchema: EstimateOutputSchema,
      annotations: READ_ONLY,
    },
    (args) =>
      runTool(deps, 'estimate_cost', async () => {
        const estimate = await deps.service.estimate({
          ...toCreateRequest(args),
          // Only its presence matters: a reference image changes the plan's first beat.
          ...(args.has_image ? { imageAssetId: 'estimate' } : {}),
        });
        return toolResult(EstimateOutputSchema, {
          model: estimate.model,
          provider: estimate.provider,
          duration_seconds: estimate.durationS,
          total_usd: estimate.totalUsd,
          charged_usd: estimate.chargedUsd,
          lines: estimate.lines,
        });
      }),
  );
}
