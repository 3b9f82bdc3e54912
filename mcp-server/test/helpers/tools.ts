import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, Progress, Tool } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { expect } from 'vitest';

/** A tool's structured content: its shape is checked against the listed output schema at run time. */
// biome-ignore lint/suspicious/noExplicitAny: tests read deep fields of schema-checked JSON
export type ToolOutput = Record<string, any>;

export const TOOL_NAMES = [
  'plan_video',
  'estimate_cost',
  'create_video',
  'get_video',
  'regenerate_scene',
  'lipsync_scene',
  'stitch_video',
  'cancel_video',
  'approve_video',
  'render_video',
  'create_character_references',
  'pick_character_reference',
  'list_assets',
  'get_asset',
  'add_asset',
  'rename_asset',
  'tag_asset',
  'delete_asset',
  'search_assets',
  'list_models',
  'list_flavors',
  'link_account',
  'unlink_account',
] as const;

/** The tools that start work on a video and may run as MCP tasks (`execution.taskSupport: "optional"`). */
export const TASK_TOOL_NAMES = [
  'create_video',
  'regenerate_scene',
  'lipsync_scene',
  'render_video',
  'approve_video',
] as const;

/** Calls tools through a real Client and checks every structuredContent against the listed outputSchema. */
export class ToolCaller {
  private readonly validators = new Map<string, (value: unknown) => { valid: boolean; errorMessage?: string }>();
  tools: Tool[] = [];

  constructor(readonly client: Client) {}

  /** Lists the tools and compiles each output schema (throws when a schema does not compile). */
  async listTools(): Promise<Tool[]> {
    const ajv = new AjvJsonSchemaValidator();
    this.tools = (await this.client.listTools()).tools;
    for (const tool of this.tools) {
      if (tool.outputSchema) this.validators.set(tool.name, ajv.getValidator(tool.outputSchema));
    }
    return this.tools;
  }

  async call(name: string, args: Record<string, unknown>, options: RequestOptions = {}): Promise<CallToolResult> {
    if (this.tools.length === 0) await this.listTools();
    const result = (await this.client.callTool({ name, arguments: args }, undefined, {
      timeout: 90_000,
      ...options,
    })) as CallToolResult;
    if (result.structuredContent) {
      const verdict = this.validators.get(name)?.(result.structuredContent);
      expect(verdict?.valid, `${name} structuredContent: ${verdict?.errorMessage}`).toBe(true);
      const text = result.content.find((block) => block.type === 'text');
      expect(text && JSON.parse(text.text)).toEqual(result.structuredContent);
    }
    return result;
  }

  /** Calls a tool that must succeed; returns its structured content. */
  async ok<T = ToolOutput>(name: string, args: Record<string, unknown>, options?: RequestOptions): Promise<T> {
    const result = await this.call(name, args, options);
    expect(result.isError, `${name} failed: ${textOf(result)}`).toBeFalsy();
    expect(result.structuredContent).toBeDefined();
    return result.structuredContent as T;
  }

  /** Calls a tool that must be refused with an isError result matching `message`. */
  async refused(name: string, args: Record<string, unknown>, message: RegExp): Promise<string> {
    const result = await this.call(name, args);
    expect(result.isError, `${name} should have been refused: ${textOf(result)}`).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    const text = textOf(result);
    expect(text).toMatch(message);
    return text;
  }

  /**
   * Calls a tool with arguments its input schema refuses: an `isError` result with the stable code
   * `invalid_arguments`, one text line per problem (argument first, never the SDK's "-32602" wrapper),
   * the same problems as data in `_meta`. Returns the lines.
   */
  async invalidArguments(name: string, args: Record<string, unknown>): Promise<string[]> {
    const result = await this.call(name, args);
    expect(result.isError, `${name} should have been refused: ${textOf(result)}`).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(result._meta?.['reelsmith/error_code']).toBe('invalid_arguments');
    const text = textOf(result);
    expect(text).not.toMatch(/MCP error|-32602|Input validation error|Invalid arguments for tool/);
    const problems = result._meta?.['reelsmith/invalid_arguments'] as Array<{ argument: string; message: string }>;
    const lines = text.split('\n');
    expect(lines).toEqual(problems.map((problem) => `${problem.argument}: ${problem.message}`));
    return lines;
  }

  /** Calls with a progress token; returns the result and every progress notification received. */
  async withProgress(
    name: string,
    args: Record<string, unknown>,
  ): Promise<{ output: ToolOutput; progress: Progress[] }> {
    const progress: Progress[] = [];
    const output = await this.ok(name, args, { onprogress: (p) => progress.push(p) });
    return { output, progress };
  }
}

export function textOf(result: CallToolResult): string {
  return result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
}

/** Progress values must rise strictly (the MCP rule), stay within 0–100 and carry total 100. */
export function expectStrictlyIncreasing(progress: Progress[]): void {
  expect(progress.length).toBeGreaterThan(1);
  for (const [i, p] of progress.entries()) {
    expect(p.total).toBe(100);
    expect(p.progress).toBeGreaterThanOrEqual(0);
    expect(p.progress).toBeLessThanOrEqual(100);
    if (i > 0) expect(p.progress).toBeGreaterThan(progress[i - 1]?.progress ?? Number.NaN);
  }
}
