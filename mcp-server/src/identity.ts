import { userInfo } from 'node:os';
import type { Owner } from '@reelsmith/core';

/** The owner of everything made over MCP by `userId`. */
export function mcpOwner(userId: string): Owner {
  return { platform: 'mcp', platformUserId: userId };
}

/** `configured` (MCP_USER_ID) or the OS user name; `local` when the OS has no name for the process. */
export function localUserId(configured: string | undefined): string {
  if (configured) return configured;
  try {
    return userInfo().username || 'local';
  } catch {
    return 'local';
  }
}
