import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { IdentityOutputSchema, toIdentityOutput } from '../output/account-output.js';
import { runTool, toolResult } from '../output/tool-result.js';
import type { ServerDeps } from '../server-deps.js';
import { LOCAL_WRITE } from './annotations.js';
import { registerTool } from './register-tool.js';

const LinkOutputSchema = z.object({
  status: z.enum(['code_issued', 'linked']),
  code: z.string().optional().describe('code_issued: type it as /video link CODE in Discord or Slack.'),
  expires_at: z.string().optional(),
  expires_in_seconds: z.number().int().optional(),
  instructions: z.string(),
  identities: z.array(IdentityOutputSchema).describe('The identities that now share videos and the daily budget.'),
});

/**
 * link_account: one identity across fronts. With a code made by `/video link` in Discord or Slack it
 * links this assistant's identity with that one; without, it makes a code to type there instead.
 */
export function registerLinkAccountTool(server: McpServer, deps: ServerDeps): void {
  registerTool(
    server,
    deps,
    'link_account',
    {
      title: 'Link your Discord or Slack account',
      description:
        'Link this assistant’s Reelsmith identity with your Discord or Slack one, so each sees and can change the other’s videos and both share one daily budget. With code (from /video link in Discord or Slack): links now. Without code: returns a one-time code (10 minutes, single use) for the person to type as /video link CODE in Discord or Slack. unlink_account undoes it.',
      inputSchema: {
        code: z
          .string({ error: 'send the text of a link code, like "ABCD-EFGH".' })
          .optional()
          .describe(
            'A code shown by /video link in Discord or Slack, like ABCD-EFGH. Leave out to get a code instead.',
          ),
      },
      outputSchema: LinkOutputSchema,
      annotations: LOCAL_WRITE,
    },
    (args) =>
      runTool(deps, 'link_account', async () => {
        if (args.code === undefined) {
          const issued = await deps.service.startLink(deps.owner);
          return toolResult(LinkOutputSchema, {
            status: 'code_issued',
            code: issued.code,
            expires_at: issued.expiresAt,
            expires_in_seconds: issued.expiresInS,
            instructions: `Ask the person to type /video link ${issued.code} in Discord or Slack within ${issued.expiresInS / 60} minutes; the code works once.`,
            identities: issued.identities.map(toIdentityOutput),
          });
        }
        const account = await deps.service.completeLink(deps.owner, args.code);
        const others = account.identities.filter((identity) => !identity.you).map((identity) => identity.platform);
        return toolResult(LinkOutputSchema, {
          status: 'linked',
          instructions: `Linked with ${others.join(', ')}: get_video, regenerate_scene and the other tools now work on those videos too. unlink_account undoes it.`,
          identities: account.identities.map(toIdentityOutput),
        });
      }),
  );
}
