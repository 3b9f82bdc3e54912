import type { IdentityView } from '@reelsmith/core';
import { z } from 'zod';

/** One identity of the caller's account, as link_account and unlink_account return it. */
export const IdentityOutputSchema = z.object({
  platform: z.enum(['discord', 'slack', 'mcp', 'cli']),
  user: z.string().describe('The identity’s user id on its platform (Slack: team:user).'),
  display_name: z.string().nullable(),
  you: z.boolean().describe('True for this assistant’s own identity.'),
});

export function toIdentityOutput(identity: IdentityView): z.infer<typeof IdentityOutputSchema> {
  return {
    platform: identity.platform,
    user: identity.platformUserId,
    display_name: identity.displayName,
    you: identity.you,
  };
}
