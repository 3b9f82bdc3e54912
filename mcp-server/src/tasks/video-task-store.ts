import { randomUUID } from 'node:crypto';
import type { CreateTaskOptions, TaskStore } from '@modelcontextprotocol/sdk/experimental/tasks';
import { ErrorCode, McpError, type Request, type Result, type Task } from '@modelcontextprotocol/sdk/types.js';
import { type McpTaskView, UserError } from '@reelsmith/core';
import { argumentProblemsOf, INVALID_ARGUMENTS, invalidArgumentsResult } from '../inputs/argument-errors.js';
import { errorResult } from '../output/tool-result.js';
import { videoResult } from '../output/video-result.js';
import type { ServerDeps } from '../server-deps.js';

/** What a task tool hands the store when it asks for a task (`CreateTaskOptions.context`). */
export type TaskToolOutcome =
  | { verb: string; videoId: string }
  | { verb: string; refusal: { code: string; message: string } };

/**
 * A refusal about a task (another owner's or an unknown id, a finished task, a cancelled task's
 * result) as JSON-RPC error -32602, as 2025-11-25 asks. Its message is the plain sentence: the SDK's
 * McpError would prefix it with the code, and the client prefixes it once more.
 */
export class TaskRefusal extends McpError {
  constructor(message: string, data?: Record<string, unknown>) {
    super(ErrorCode.InvalidParams, message, data);
    this.message = message;
  }
}

/** How often a client is told to poll a task, unless the server says otherwise (ms). */
export const DEFAULT_TASK_POLL_MS = 2000;

const INLINE_PREFIX = 'inline-';

/** True for the handle of a plain (not task-augmented) call: it is answered inline, never stored. */
export function isInlineTaskId(taskId: string): boolean {
  return taskId.startsWith(INLINE_PREFIX);
}

/**
 * The SDK's `TaskStore` over the service's MCP tasks (Postgres), for one owner: the store of one
 * server instance, so every task it sees is that owner's and another owner's id is not found.
 * Sessions play no part (tasks outlive them and any replica answers), so `sessionId` is ignored.
 *
 * Task tools always end by asking the store for a task. For a task-augmented call it opens one in
 * Postgres; for a plain call (which the SDK routes through the same handler, then reads the result
 * back from the store) it hands out an inline handle, and the tool's answer, stored with
 * `storeTaskResult`, is returned once by `getTaskResult`: a plain call answers exactly as before
 * tasks existed. Results of real tasks are never stored: `tasks/result` builds the video's answer
 * as `get_video` would, when it is asked.
 */
export class VideoTaskStore implements TaskStore {
  private readonly inline = new Map<string, Result>();

  constructor(private readonly deps: ServerDeps) {}

  async createTask(options: CreateTaskOptions, _requestId: unknown, request: Request): Promise<Task> {
    const outcome = options.context as TaskToolOutcome | undefined;
    if (!outcome) throw new McpError(ErrorCode.InternalError, 'A task tool asked for a task without its outcome.');
    if (request.params?.task === undefined) return inlineTask();
    const { service, owner } = this.deps;
    const open = {
      verb: outcome.verb,
      ttlMs: options.ttl ?? undefined,
      pollIntervalMs: options.pollInterval ?? this.deps.taskPollIntervalMs ?? DEFAULT_TASK_POLL_MS,
    };
    const view =
      'videoId' in outcome
        ? await service.tasks.open(owner, outcome.videoId, open)
        : await service.tasks.openRefused(owner, outcome.refusal, open);
    // Every task begins `working` (2025-11-25); the first tasks/get says where it is.
    return { ...toTask(view), status: 'working' };
  }

  async getTask(taskId: string): Promise<Task | null> {
    if (isInlineTaskId(taskId)) return null;
    return toTask(await this.find(taskId));
  }

  async storeTaskResult(taskId: string, _status: 'completed' | 'failed', result: Result): Promise<void> {
    if (isInlineTaskId(taskId)) this.inline.set(taskId, result);
  }

  async getTaskResult(taskId: string): Promise<Result> {
    if (isInlineTaskId(taskId)) {
      const result = this.inline.get(taskId);
      this.inline.delete(taskId);
      if (!result) throw new TaskRefusal(`Task not found: ${taskId}`);
      return result;
    }
    const task = await this.find(taskId);
    if (task.refusal?.code === INVALID_ARGUMENTS)
      return invalidArgumentsResult(argumentProblemsOf(task.refusal.message));
    if (task.refusal) return errorResult(task.refusal.message, task.refusal.code);
    if (task.status === 'cancelled' || task.videoId === null) {
      throw new TaskRefusal(
        `Task ${task.taskId} was cancelled, so it has no result (video ${task.videoId} is cancelled). Create a new video to start again.`,
        { taskId: task.taskId, status: task.status },
      );
    }
    return videoResult(await this.deps.service.get(this.deps.owner, task.videoId), this.deps.viewerMedia);
  }

  async updateTaskStatus(taskId: string, status: Task['status']): Promise<void> {
    if (status !== 'cancelled') {
      throw new McpError(ErrorCode.InvalidRequest, `Task ${taskId}: its status follows its video and cannot be set.`);
    }
    await this.refusals(() => this.deps.service.tasks.cancel(this.deps.owner, taskId));
  }

  async listTasks(cursor?: string): Promise<{ tasks: Task[]; nextCursor?: string }> {
    const page = await this.deps.service.tasks.list(this.deps.owner, cursor === undefined ? {} : { cursor });
    return { tasks: page.tasks.map(toTask), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  private find(taskId: string): Promise<McpTaskView> {
    return this.refusals(() => this.deps.service.tasks.get(this.deps.owner, taskId));
  }

  /** A refusal (another owner's task, a finished one) as the JSON-RPC error the spec asks for (-32602). */
  private async refusals<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof UserError) {
        throw new TaskRefusal(error.message, { 'reelsmith/error_code': error.code });
      }
      throw error;
    }
  }
}

function inlineTask(): Task {
  const now = new Date().toISOString();
  return { taskId: `${INLINE_PREFIX}${randomUUID()}`, status: 'completed', ttl: 0, createdAt: now, lastUpdatedAt: now };
}

function toTask(view: McpTaskView): Task {
  return {
    taskId: view.taskId,
    status: view.status,
    ttl: view.ttlMs,
    createdAt: view.createdAt,
    lastUpdatedAt: view.lastUpdatedAt,
    pollInterval: view.pollIntervalMs,
    ...(view.statusMessage ? { statusMessage: view.statusMessage } : {}),
  };
}
