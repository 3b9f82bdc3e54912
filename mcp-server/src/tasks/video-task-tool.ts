import type {
  CreateTaskRequestHandlerExtra,
  TaskRequestHandlerExtra,
  ToolTaskHandler,
} from '@modelcontextprotocol/sdk/experimental/tasks';
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, Task, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { VideoView } from '@reelsmith/core';
import { z } from 'zod';
import {
  type ArgumentProblem,
  argumentProblemsText,
  INVALID_ARGUMENTS,
  invalidArgumentsResult,
  parseArguments,
} from '../inputs/argument-errors.js';
import type { waitSecondsField } from '../inputs/fields.js';
import { errorResult, refusalOf, runTool } from '../output/tool-result.js';
import { stateOf, VideoOutputSchema } from '../output/video-output.js';
import { videoResult } from '../output/video-result.js';
import type { ToolExtra } from '../progress/progress-reporter.js';
import { waitForVideo } from '../progress/wait-for-video.js';
import type { ServerDeps } from '../server-deps.js';
import { validatesOwnArguments } from '../tools/register-tool.js';
import { VIEWER_TOOL_META } from '../viewer/viewer-resource.js';
import { isInlineTaskId, type TaskToolOutcome } from './video-task-store.js';

/** Every task tool takes `wait_seconds` (used by plain calls only: a task answers at once). */
type VideoTaskShape = z.ZodRawShape & { wait_seconds: typeof waitSecondsField };

/** A task tool's arguments once checked against its strict schema. */
type VideoTaskArgs<Shape extends VideoTaskShape> = z.output<z.ZodObject<Shape, z.core.$strict>>;

export interface VideoTaskToolConfig<Shape extends VideoTaskShape> {
  title: string;
  description: string;
  inputSchema: Shape;
  annotations: ToolAnnotations;
  /**
   * The tool's results open in the viewer (MCP Apps): the tool carries `_meta.ui.resourceUri` and a
   * plain call's result the viewer's media (`_meta["reelsmith/viewer"]`), as get_video's does.
   */
  viewer?: boolean;
}

/** A tool's own part: validate, store inputs, call the service verb; the video as it is right after. Throws UserError to refuse. */
export type StartVideoWork<Shape extends VideoTaskShape> = (
  args: VideoTaskArgs<Shape>,
  extra: ToolExtra,
) => Promise<VideoView>;

/** `_meta` key of the text a host may hand the model while the task runs (2025-11-25, provisional). */
const IMMEDIATE_RESPONSE_KEY = 'io.modelcontextprotocol/model-immediate-response';

type Started =
  | { view: VideoView }
  | { refusal: { code: string; message: string }; problems?: ArgumentProblem[] | undefined };

/**
 * Registers a tool that starts work on a video, with `execution.taskSupport: "optional"`:
 * - a plain call answers as it always did: the video at once (or after `wait_seconds`, with
 *   progress notifications), a refusal as an `isError` result; arguments that do not match the
 *   strict schema get the `invalid_arguments` answer of every tool (see `registerTool`);
 * - a task-augmented call answers at once with a task (kept in Postgres) that follows the work it
 *   started; `tasks/result` gives what get_video gives for the video. A refusal becomes a task that
 *   has failed, whose result is the `isError` answer.
 * Both run the same handler (the SDK routes plain calls of task tools through `createTask`); the
 * store tells them apart (see VideoTaskStore).
 */
export function registerVideoTaskTool<Shape extends VideoTaskShape>(
  server: McpServer,
  deps: ServerDeps,
  name: string,
  config: VideoTaskToolConfig<Shape>,
  start: StartVideoWork<Shape>,
): RegisteredTool {
  const { viewer, ...tool } = config;
  const schema = z.strictObject(tool.inputSchema);
  // The SDK hands over the raw arguments (validatesOwnArguments below): a task request refused by
  // the SDK's own check would fail as "Invalid task creation result" instead of a task.
  const createTask = async (raw: unknown, extra: CreateTaskRequestHandlerExtra) => {
    const parsed = await parseArguments(schema, name, raw);
    if (!parsed.ok) {
      deps.log.info({ tool: name, code: INVALID_ARGUMENTS, problems: parsed.problems }, 'MCP tool refused the request');
    }
    const started: Started = parsed.ok
      ? await attempt(deps, name, () => start(parsed.data, extra))
      : {
          refusal: { code: INVALID_ARGUMENTS, message: argumentProblemsText(parsed.problems) },
          problems: parsed.problems,
        };
    const outcome: TaskToolOutcome =
      'view' in started ? { verb: name, videoId: started.view.videoId } : { verb: name, refusal: started.refusal };
    const task = await extra.taskStore.createTask({
      ...(extra.taskRequestedTtl !== undefined ? { ttl: extra.taskRequestedTtl } : {}),
      context: outcome,
    });
    if (!isInlineTaskId(task.taskId)) return { task, _meta: { [IMMEDIATE_RESPONSE_KEY]: immediate(started, task) } };
    const result =
      'view' in started
        ? await runTool(deps, name, async () =>
            videoResult(
              await waitForVideo(deps, extra, started.view, parsed.ok ? waitSecondsOf(parsed.data) : 0),
              viewer ? deps.viewerMedia : undefined,
            ),
          )
        : started.problems
          ? invalidArgumentsResult(started.problems)
          : errorResult(started.refusal.message, started.refusal.code);
    await extra.taskStore.storeTaskResult(task.taskId, result.isError ? 'failed' : 'completed', result);
    return { task };
  };
  const handler = {
    createTask,
    getTask: (_args: unknown, extra: TaskRequestHandlerExtra) => extra.taskStore.getTask(extra.taskId),
    getTaskResult: async (_args: unknown, extra: TaskRequestHandlerExtra) =>
      (await extra.taskStore.getTaskResult(extra.taskId)) as CallToolResult,
  };
  const registered = server.experimental.tasks.registerToolTask(
    name,
    {
      ...tool,
      inputSchema: schema,
      outputSchema: VideoOutputSchema,
      execution: { taskSupport: 'optional' },
      ...(viewer ? { _meta: VIEWER_TOOL_META } : {}),
    },
    // The SDK's callback type is conditional on the shape, which TypeScript cannot resolve for a generic one.
    handler as unknown as ToolTaskHandler<typeof schema>,
  );
  return validatesOwnArguments(server, registered);
}

async function attempt(deps: ServerDeps, tool: string, work: () => Promise<VideoView>): Promise<Started> {
  try {
    return { view: await work() };
  } catch (error) {
    return { refusal: refusalOf(deps, tool, error) };
  }
}

function immediate(started: Started, task: Task): string {
  if (!('view' in started)) return started.refusal.message;
  const { view } = started;
  return `Video ${view.videoId} is ${stateOf(view.status)}; it is made in the background (task ${task.taskId}). Its result is what get_video returns for it.`;
}

/** `wait_seconds` of checked arguments (every task shape has it; TypeScript cannot see it through the generic). */
function waitSecondsOf(args: object): number {
  return (args as { wait_seconds?: number }).wait_seconds ?? 0;
}
