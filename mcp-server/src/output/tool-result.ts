import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import { UserError, userMessage } from '@reelsmith/core';
import type { z } from 'zod';
import type { ServerDeps } from '../server-deps.js';

/**
 * A successful result: `structuredContent` is `value` parsed by the tool's output schema (so it always
 * matches, unknown keys stripped), repeated as JSON text for clients that only read `content`, then
 * any extra blocks (resource links).
 */
export function toolResult<S extends z.ZodObject>(
  schema: S,
  value: z.input<S>,
  extra: ContentBlock[] = [],
): CallToolResult {
  const structured = schema.parse(value) as Record<string, unknown>;
  return {
    content: [{ type: 'text', text: JSON.stringify(structured, null, 2) }, ...extra],
    structuredContent: structured,
  };
}

/** A business failure the caller can act on: `isError` with the message (and its stable code in `_meta`). */
export function errorResult(message: string, code: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }], _meta: { 'reelsmith/error_code': code } };
}

/**
 * Runs a tool's work: a `UserError` becomes an `isError` result with its actionable message; anything
 * else is logged with its stack and answered with a generic line (no internals leak to the client).
 */
export async function runTool(
  deps: ServerDeps,
  tool: string,
  work: () => Promise<CallToolResult>,
): Promise<CallToolResult> {
  try {
    return await work();
  } catch (error) {
    const refusal = refusalOf(deps, tool, error);
    return errorResult(refusal.message, refusal.code);
  }
}

/** What a failed tool call tells the caller: a `UserError`'s code and message, else (logged) a generic line. */
export function refusalOf(deps: ServerDeps, tool: string, error: unknown): { code: string; message: string } {
  if (error instanceof UserError) {
    deps.log.info({ tool, code: error.code }, 'MCP tool refused the request');
    return { code: error.code, message: error.message };
  }
  deps.log.error({ err: error, tool }, 'MCP tool failed');
  return { code: 'internal_error', message: userMessage(error) };
}
