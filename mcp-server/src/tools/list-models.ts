import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ModelInfo } from '@reelsmith/core';
import { z } from 'zod';
import { runTool, toolResult } from '../output/tool-result.js';
import type { ServerDeps } from '../server-deps.js';
import { READ_ONLY } from './annotations.js';
import { registerTool } from './register-tool.js';

const KINDS = ['video', 'image', 'music', 'lipsync'] as const;

const ModelSchema = z.object({
  key: z.string(),
  kind: z.string(),
  label: z.string(),
  description: z.string(),
  replicate_id: z.string(),
  chunk_seconds: z.number().optional().describe('Video: seconds every call outputs.'),
  allowed_clip_seconds: z.array(z.number()).optional().describe('Video: clip lengths the model lets you choose.'),
  max_seconds: z.number().optional().describe('Music: the longest output of one call.'),
  max_outputs: z.int().optional().describe('Image: the most images one call returns.'),
  fps: z.number().optional(),
  width: z.int().optional(),
  height: z.int().optional(),
  cost: z.object({ unit: z.string(), usd: z.number() }).describe('USD per unit (run, image or second of output).'),
  supports: z.object({
    text_to_video: z.boolean(),
    first_frame: z.boolean(),
    last_frame: z.boolean(),
    reference_images: z.boolean(),
  }),
});

const ModelsOutputSchema = z.object({ models: z.array(ModelSchema) });

/** list_models: the model registry (keys for create_video's `model`), with chunk lengths and prices. */
export function registerListModelsTool(server: McpServer, deps: ServerDeps): void {
  registerTool(
    server,
    deps,
    'list_models',
    {
      title: 'List models',
      description:
        'The models Reelsmith can use, with their clip lengths and Replicate prices. Video model keys go in create_video and estimate_cost as model.',
      inputSchema: {
        kind: z
          .enum(KINDS, { error: `use one of ${KINDS.join(', ')}.` })
          .optional()
          .describe('Only models of this kind.'),
      },
      outputSchema: ModelsOutputSchema,
      annotations: READ_ONLY,
    },
    (args) =>
      runTool(deps, 'list_models', async () => {
        const models = deps.service.listModels().filter((model) => !args.kind || model.kind === args.kind);
        return toolResult(ModelsOutputSchema, { models: models.map(toModelOutput) });
      }),
  );
}

function toModelOutput(model: ModelInfo): z.input<typeof ModelSchema> {
  return {
    key: model.key,
    kind: model.kind,
    label: model.label,
    description: model.description,
    replicate_id: model.replicateId,
    ...(model.chunkDurationS !== undefined ? { chunk_seconds: model.chunkDurationS } : {}),
    ...(model.allowedDurationsS ? { allowed_clip_seconds: model.allowedDurationsS } : {}),
    ...(model.maxDurationS !== undefined ? { max_seconds: model.maxDurationS } : {}),
    ...(model.maxOutputs !== undefined ? { max_outputs: model.maxOutputs } : {}),
    ...(model.fps !== undefined ? { fps: model.fps } : {}),
    ...(model.width !== undefined ? { width: model.width } : {}),
    ...(model.height !== undefined ? { height: model.height } : {}),
    cost: model.cost,
    supports: {
      text_to_video: model.supports.textToVideo,
      first_frame: model.supports.firstFrame,
      last_frame: model.supports.lastFrame,
      reference_images: model.supports.referenceImages,
    },
  };
}
