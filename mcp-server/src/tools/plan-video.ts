import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { PlanSchema } from '@reelsmith/core';
import { z } from 'zod';
import { toCreateRequest, videoRequestShape } from '../inputs/video-request.js';
import { runTool, toolResult } from '../output/tool-result.js';
import type { ServerDeps } from '../server-deps.js';
import { READ_ONLY } from './annotations.js';
import { registerTool } from './register-tool.js';

const { model: _model, ...planShape } = videoRequestShape;

const PlanOutputSchema = z.object({ plan: PlanSchema });

/** plan_video: the beats (ad) or scenes (music video), style and music a prompt would get. Free. */
export function registerPlanVideoTool(server: McpServer, deps: ServerDeps): void {
  registerTool(
    server,
    deps,
    'plan_video',
    {
      title: 'Plan a video',
      description:
        'Show the plan a prompt would get: archetype and beats (ad) or scenes (music video), each with its prompt, camera movement and length, plus style and music. Costs nothing and creates nothing.',
      inputSchema: {
        ...planShape,
        has_image: z.boolean().optional().describe('Plan as if a reference image of the product will be given.'),
      },
      outputSchema: PlanOutputSchema,
      annotations: READ_ONLY,
    },
    (args) =>
      runTool(deps, 'plan_video', async () => {
        const { durationS, mode, flavor, creativity, characterDescription, prompt } = toCreateRequest(args);
        const plan = await deps.service.plan({
          prompt,
          durationS,
          mode: mode === 'image_pairs' ? 'ad' : mode,
          flavor,
          creativity,
          characterDescription,
          hasImage: args.has_image ?? false,
        });
        return toolResult(PlanOutputSchema, { plan });
      }),
  );
}
