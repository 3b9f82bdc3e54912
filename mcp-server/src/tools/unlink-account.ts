import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { IdentityOutputSchema, toIdentityOutput } from '../output/account-output.js';
import { runTool, toolResult } from '../output/tool-result.js';
import type { ServerDeps } from '../server-deps.js';
import { registerTool } from './register-tool.js';

const UnlinkOutputSchema = z.object({
  status: z.literal('unlinked'),
  detached: IdentityOutputSchema.describe('The identity taken out of the account.'),
  identities: z.array(IdentityOutputSchema).describe('This assistant’s account afterwards.'),
});

/** unlink_account: undoes link_account; afterwards each identity sees only the videos it made. */
export function registerUnlinkAccountTool(server: McpServer, deps: ServerDeps): void {
  registerTool(
    server,
    deps,
    'unlink_account',
    {
      title: 'Unlink an account',
      description:
        'Undo link_account: afterwards each identity sees only the videos and uploads it made itself, and has its own daily budget again. platform names the linked identity to take out (discord or slack); without it this assistant’s identity leaves.',
      inputSchema: {
        platform: z
          .enum(['discord', 'slack', 'mcp', 'cli'], { error: 'use "discord", "slack", "mcp" or "cli".' })
          .optional()
          .describe('The linked identity to take out; default this assistant’s own.'),
      },
      outputSchema: UnlinkOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    },
    (args) =>
      runTool(deps, 'unlink_account', async () => {
        const result = await deps.service.unlink(deps.owner, args.platform);
        return toolResult(UnlinkOutputSchema, {
          status: 'unlinked',
          detached: toIdentityOutput(result.detached),
          identities: result.identities.map(toIdentityOutput),
        });
      }),
  );
}
