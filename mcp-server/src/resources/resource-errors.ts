import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { UserError } from '@reelsmith/core';

/** JSON-RPC code for a resource that does not exist (MCP spec). */
export const RESOURCE_NOT_FOUND = -32002;

/** Runs a resource handler: a `UserError` (another owner's video, a bad name) becomes "resource not found" with its message. */
export async function asResourceRequest<T>(uri: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UserError) throw new McpError(RESOURCE_NOT_FOUND, error.message, { uri });
    throw error;
  }
}
