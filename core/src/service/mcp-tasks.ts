import { randomUUID } from 'node:crypto';
import { findLatestEvent } from '../db/events.js';
import {
  cancelMcpTasksOfVideo,
  deleteExpiredMcpTasks,
  endMcpTask,
  findMcpTaskForUser,
  insertMcpTask,
  listMcpTasksForUser,
  type McpTaskWithWork,
} from '../db/mcp-tasks.js';
import type { McpTaskRow, McpTaskStatus } from '../db/schema.js';
import { findVideoById } from '../db/videos.js';
import { findLatestWorkForVideo } from '../db/works.js';
import { UserError } from '../errors.js';
import type { VideoEvent } from '../events/types.js';
import { describeEvent, describeVideo, taskEndOf } from './mcp-task-status.js';
import type { ServiceContext } from './service-context.js';
import type { Owner, VideoView } from './types.js';

/** Retention of a task from its creation, in ms: what a client may ask for and what it gets without asking. */
export const MCP_TASK_TTL_MS = { default: 24 * 3_600_000, min: 1000, max: 7 * 24 * 3_600_000 } as const;
const DEFAULT_PAGE = 20;

/** An MCP task as a client sees it (protocol 2025-11-25 `Task`, plus what it follows). */
export interface McpTaskView {
  taskId: string;
  /** The video the call made or changed; null for a call refused before it made one. */
  videoId: string | null;
  /** The tool whose call started it. */
  verb: string;
  status: McpTaskStatus;
  statusMessage: string | null;
  /** A call refused before any work started: the task failed with this. */
  refusal: { code: string; message: string } | null;
  /** Retention from creation (ms); null = unlimited. */
  ttlMs: number | null;
  pollIntervalMs: number;
  createdAt: string;
  lastUpdatedAt: string;
}

export interface OpenMcpTaskOptions {
  verb: string;
  /** Asked-for retention (ms from creation), clamped to MCP_TASK_TTL_MS; its default when absent. */
  ttlMs?: number | undefined;
  /** How often the client is told to poll (ms). */
  pollIntervalMs: number;
}

/**
 * MCP tasks, stored in Postgres so any server replica (and a restarted one) answers for them. A
 * task is its owner's only: another owner's id, an expired or a malformed one is `task_not_found`.
 * While working, its status is derived from the work it follows and its video (and stored once it
 * ends, so an end never changes); its message is the video's latest event.
 */
export interface McpTaskService {
  /** A task following the work the call `verb` just started on the owner's video (the video's newest work). */
  open(owner: Owner, videoId: string, options: OpenMcpTaskOptions): Promise<McpTaskView>;
  /** A task for a call refused before it started anything: failed from the start, holding the refusal. */
  openRefused(
    owner: Owner,
    refusal: { code: string; message: string },
    options: OpenMcpTaskOptions,
  ): Promise<McpTaskView>;
  /** @throws UserError `task_not_found` */
  get(owner: Owner, taskId: string): Promise<McpTaskView>;
  /** The owner's live tasks, newest first; `cursor` is the previous page's `nextCursor`. @throws UserError `invalid_cursor` */
  list(
    owner: Owner,
    options?: { cursor?: string; limit?: number },
  ): Promise<{ tasks: McpTaskView[]; nextCursor?: string }>;
  /**
   * Cancels the task's video (the service's cancel: its work stops, partial files go) and with it
   * every working task of that video. @throws UserError `task_not_found`, `task_finished`, `not_cancellable`
   */
  cancel(owner: Owner, taskId: string): Promise<McpTaskView>;
}

export function createMcpTaskService(
  ctx: ServiceContext,
  cancelVideo: (owner: Owner, videoId: string) => Promise<VideoView>,
): McpTaskService {
  const { db } = ctx.deps;

  const notFound = (taskId: string) =>
    new UserError(
      'task_not_found',
      `No task ${taskId} found for you: it may have expired (tasks are kept for their ttl) or never existed.`,
    );

  const insert = async (
    userId: string,
    fields: Omit<Parameters<typeof insertMcpTask>[1], 'id' | 'user_id' | 'ttl_ms' | 'poll_interval_ms'>,
    options: OpenMcpTaskOptions,
  ) => {
    await deleteExpiredMcpTasks(db);
    return viewOf(
      await insertMcpTask(db, {
        id: randomUUID(),
        user_id: userId,
        ...fields,
        ttl_ms: clampTtl(options.ttlMs),
        poll_interval_ms: options.pollIntervalMs,
      }),
    );
  };

  /** The task as it is now: ends a working task whose work is over, describes one still going. */
  const refresh = async (task: McpTaskWithWork): Promise<McpTaskView> => {
    if (task.status !== 'working' || task.video_id === null) return viewOf(task);
    const video = await findVideoById(db, task.video_id);
    if (!video) return viewOf(task);
    const end = taskEndOf(task, video);
    if (end) {
      const ended = await endMcpTask(db, task.id, end.status, end.message);
      if (ended) return viewOf(ended);
      const again = await findMcpTaskForUser(db, task.user_id, task.id);
      return viewOf(again ?? task);
    }
    const latest = await findLatestEvent(db, video.id);
    const updatedAt = latest && latest.created_at > task.updated_at ? latest.created_at : task.updated_at;
    const message = latest ? describeEvent(latest.payload as unknown as VideoEvent) : describeVideo(video);
    return viewOf({ ...task, status_message: message, updated_at: updatedAt });
  };

  const find = async (owner: Owner, taskId: string) => {
    const id = typeof taskId === 'string' ? taskId.trim() : '';
    const task = await findMcpTaskForUser(db, await ctx.userIdOf(owner), id);
    if (!task) throw notFound(String(taskId));
    return task;
  };

  const service: McpTaskService = {
    async open(owner, videoId, options) {
      const video = await ctx.ownedVideo(owner, videoId);
      const work = await findLatestWorkForVideo(db, video.id);
      return insert(video.user_id, { video_id: video.id, verb: options.verb, work_seq: work?.seq ?? null }, options);
    },

    async openRefused(owner, refusal, options) {
      return insert(
        await ctx.userIdOf(owner),
        {
          video_id: null,
          verb: options.verb,
          work_seq: null,
          status: 'failed',
          status_message: refusal.message,
          error_code: refusal.code,
          error_message: refusal.message,
        },
        options,
      );
    },

    get: async (owner, taskId) => refresh(await find(owner, taskId)),

    async list(owner, options = {}) {
      const userId = await ctx.userIdOf(owner);
      const limit = Math.min(Math.max(options.limit ?? DEFAULT_PAGE, 1), 100);
      const rows = await listMcpTasksForUser(db, userId, { afterId: options.cursor, limit: limit + 1 });
      if (!rows) {
        throw new UserError(
          'invalid_cursor',
          `The cursor "${String(options.cursor).slice(0, 40)}" names none of your tasks that are still kept; list again without a cursor.`,
        );
      }
      const page = rows.slice(0, limit);
      const tasks = await Promise.all(page.map(refresh));
      const last = page.at(-1);
      return rows.length > limit && last ? { tasks, nextCursor: last.id } : { tasks };
    },

    async cancel(owner, taskId) {
      const task = await service.get(owner, taskId);
      if (task.status !== 'working' || task.videoId === null) {
        throw new UserError(
          'task_finished',
          `Task ${task.taskId} is already ${task.status}; there is nothing to cancel.`,
        );
      }
      await cancelVideo(owner, task.videoId);
      await cancelMcpTasksOfVideo(db, task.videoId, 'Cancelled by its owner.');
      return service.get(owner, task.taskId);
    },
  };
  return service;
}

function clampTtl(requested: number | undefined): number {
  if (requested === undefined || !Number.isFinite(requested)) return MCP_TASK_TTL_MS.default;
  return Math.round(Math.min(Math.max(requested, MCP_TASK_TTL_MS.min), MCP_TASK_TTL_MS.max));
}

function viewOf(row: McpTaskRow): McpTaskView {
  return {
    taskId: row.id,
    videoId: row.video_id,
    verb: row.verb,
    status: row.status,
    statusMessage: row.status_message,
    refusal: row.error_code ? { code: row.error_code, message: row.error_message ?? row.error_code } : null,
    ttlMs: row.ttl_ms === null ? null : Number(row.ttl_ms),
    pollIntervalMs: row.poll_interval_ms,
    createdAt: row.created_at.toISOString(),
    lastUpdatedAt: row.updated_at.toISOString(),
  };
}
