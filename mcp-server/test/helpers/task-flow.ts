import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { isTerminal } from '@modelcontextprotocol/sdk/experimental/tasks';
import {
  type CallToolResult,
  CallToolResultSchema,
  CreateTaskResultSchema,
  type Task,
} from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import type { ToolOutput } from './tools.js';

export const RELATED_TASK = 'io.modelcontextprotocol/related-task';
export const IMMEDIATE_RESPONSE = 'io.modelcontextprotocol/model-immediate-response';

/** A task-augmented `tools/call` (what a 2025-11-25 client sends with `task: { ttl }`); the CreateTaskResult. */
export async function callAsTask(client: Client, name: string, args: Record<string, unknown>, ttl = 600_000) {
  return client.request(
    { method: 'tools/call', params: { name, arguments: args, task: { ttl } } },
    CreateTaskResultSchema,
  );
}

/**
 * Polls `tasks/get` (at the task's pollInterval) through `readers` in turn until the task ends;
 * returns every state seen. Reading through several clients shows any of them answers.
 */
export async function followTask(readers: Client[], taskId: string, timeoutMs = 120_000): Promise<Task[]> {
  const deadline = Date.now() + timeoutMs;
  const seen: Task[] = [];
  for (let i = 0; ; i++) {
    const reader = readers[i % readers.length] as Client;
    const task = await reader.experimental.tasks.getTask(taskId);
    seen.push(task);
    if (isTerminal(task.status)) return seen;
    if (Date.now() > deadline) throw new Error(`task ${taskId} still ${task.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, task.pollInterval ?? 500));
  }
}

/** Polls until the task's status message shows the video has started (planning or later), or it ends. */
export async function untilStarted(reader: Client, taskId: string, timeoutMs = 60_000): Promise<Task> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = await reader.experimental.tasks.getTask(taskId);
    if (task.status !== 'working' || /planning|storyboarding|generating/.test(task.statusMessage ?? '')) return task;
    if (Date.now() > deadline) throw new Error(`task ${taskId} not started after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `tasks/result` of a task, as a tool result. */
export async function taskResult(client: Client, taskId: string): Promise<CallToolResult> {
  return (await client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema)) as CallToolResult;
}

/**
 * create_video as a task through `creator`, followed through `readers` to its end: it begins
 * working (at once, with a ttl, a poll interval and a line for the model), moves through the video's
 * stages (status messages from its events) to completed, and tasks/result (through the last reader)
 * is the ready video with a link to the task. Returns the task id, the states seen and the result.
 */
export async function runCreateVideoTask(
  creator: Client,
  readers: Client[],
  args: Record<string, unknown> = { prompt: 'a paper lantern drifting over a lake', duration_seconds: 5 },
) {
  const created = await callAsTask(creator, 'create_video', args, 900_000);
  const { task } = created;
  expect(task).toMatchObject({ status: 'working', ttl: 900_000 });
  expect(task.taskId).toMatch(/^[0-9a-f-]{36}$/);
  expect(task.pollInterval).toBeGreaterThan(0);
  expect(String(created._meta?.[IMMEDIATE_RESPONSE])).toMatch(/^Video [0-9a-f-]{36} is (queued|running)/);

  const seen = await followTask(readers, task.taskId);
  const statuses = seen.map((state) => state.status);
  expect(statuses.at(-1), seen.at(-1)?.statusMessage).toBe('completed');
  expect(statuses.slice(0, -1).every((status) => status === 'working')).toBe(true);
  const messages = seen.filter((state) => state.status === 'working').map((state) => state.statusMessage ?? '');
  expect(messages.join('\n')).toMatch(/(queued|planning|storyboarding|generating|stitching|scoring), \d+%/);
  for (const state of seen)
    expect(state).toMatchObject({ taskId: task.taskId, ttl: 900_000, createdAt: task.createdAt });

  const result = await taskResult(readers.at(-1) as Client, task.taskId);
  expect(result.isError).toBeFalsy();
  expect(result._meta?.[RELATED_TASK]).toEqual({ taskId: task.taskId });
  const video = result.structuredContent as ToolOutput;
  expect(video).toMatchObject({ status: 'ready', done: true });
  return { taskId: task.taskId, seen, result, video };
}
