import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { runTool, toolResult } from '../output/tool-result.js';
import type { ServerDeps } from '../server-deps.js';
import { READ_ONLY } from './annotations.js';
import { registerTool } from './register-tool.js';

const FlavorsOutputSchema = z.object({
  flavors: z.array(z.object({ name: z.string(), description: z.string() })),
});

/** list_flavors: the prompt flavors (names for create_video's `flavor`). */
export function registerListFlavorsTool(server: McpServer, deps: ServerDeps): void {
  registerTool(
    server,
    deps,
    'list_flavors',
    {
      title: 'List flavors',
      description: 'The prompt flavors (sets of prompt templates and parameters); names go in create_video as flavor.',
      outputSchema: FlavorsOutputSchema,
      annotations: READ_ONLY,
    },
    () =>
      runTool(deps, 'list_flavors', async () =>
        toolResult(FlavorsOutputSchema, {
          flavors: deps.service.listFlavors().map(({ name, description }) => ({ name, description })),
        }),
      ),
  );
}
