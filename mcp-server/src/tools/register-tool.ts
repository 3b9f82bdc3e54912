import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { INVALID_ARGUMENTS, invalidArgumentsResult, parseArguments } from '../inputs/argument-errors.js';
import type { ToolExtra } from '../progress/progress-reporter.js';
import type { ServerDeps } from '../server-deps.js';

export interface ToolConfig<Shape extends z.ZodRawShape> {
  title: string;
  description: string;
  /** The tool's arguments; none when left out. Arguments not named here are refused. */
  inputSchema?: Shape;
  outputSchema: z.ZodObject;
  annotations: ToolAnnotations;
  _meta?: Record<string, unknown>;
}

export type ToolHandler<Shape extends z.ZodRawShape> = (
  args: z.output<z.ZodObject<Shape, z.core.$strict>>,
  extra: ToolExtra,
) => Promise<CallToolResult>;

/**
 * Registers a tool the way every Reelsmith tool is registered. `tools/list` advertises the strict
 * input schema (unknown arguments refused: `additionalProperties: false`), and Reelsmith checks the
 * arguments itself, so a call that does not match comes back as an `isError` result whose lines
 * each start with the argument to fix (`scene: scenes are numbered from 1 …`), with
 * `_meta["reelsmith/error_code"]` = `invalid_arguments` and the problems as data in
 * `_meta["reelsmith/invalid_arguments"]` — instead of the SDK's "MCP error -32602: Input validation
 * error: …" text. `handler` runs only with valid arguments.
 */
export function registerTool<Shape extends z.ZodRawShape = Record<never, never>>(
  server: McpServer,
  deps: Pick<ServerDeps, 'log'>,
  name: string,
  config: ToolConfig<Shape>,
  handler: ToolHandler<Shape>,
): RegisteredTool {
  const schema = z.strictObject(config.inputSchema ?? ({} as Shape));
  const registered = server.registerTool(name, { ...config, inputSchema: schema }, async (raw: unknown, extra) => {
    const parsed = await parseArguments(schema, name, raw);
    if (parsed.ok) return handler(parsed.data, extra);
    deps.log.info({ tool: name, code: INVALID_ARGUMENTS, problems: parsed.problems }, 'MCP tool refused the request');
    return invalidArgumentsResult(parsed.problems);
  });
  return validatesOwnArguments(server, registered);
}

/**
 * Marks a tool registered another way (the MCP task tools, through the SDK's `registerToolTask`)
 * as one that checks its own arguments, like those of `registerTool`: the SDK hands its handler the
 * raw arguments, so the handler must run `parseArguments` with the strict schema it registered.
 */
export function validatesOwnArguments(server: McpServer, tool: RegisteredTool): RegisteredTool {
  letArgumentsThrough(server);
  selfValidated.add(tool);
  return tool;
}

type ValidateToolInput = (tool: RegisteredTool, args: unknown, toolName: string) => Promise<unknown>;

const selfValidated = new WeakSet<RegisteredTool>();
const passingThrough = new WeakSet<McpServer>();

/**
 * SDK 1.x (pinned at 1.32.2) validates `tools/call` arguments against the same schema it lists and
 * turns a failure into its own wrapped text; it has no option to change that (typescript-sdk #1160,
 * #1956). So each server's `validateToolInput` (a private method, called as `this.validateToolInput`)
 * is shadowed on the instance: tools registered here get their raw arguments and check them in
 * their handler; any other tool keeps the SDK's validation. Fails loudly at registration if the SDK
 * no longer has that method, rather than silently skipping validation.
 */
function letArgumentsThrough(server: McpServer): void {
  if (passingThrough.has(server)) return;
  const internals = server as unknown as { validateToolInput?: ValidateToolInput };
  const sdkValidate = internals.validateToolInput;
  if (typeof sdkValidate !== 'function') {
    throw new Error('McpServer.validateToolInput is gone from @modelcontextprotocol/sdk: update register-tool.ts');
  }
  internals.validateToolInput = function (this: McpServer, tool, args, toolName) {
    return selfValidated.has(tool) ? Promise.resolve(args ?? {}) : sdkValidate.call(this, tool, args, toolName);
  };
  passingThrough.add(server);
}
