import { describe, expect, it } from 'vitest';
import type { McpTaskWithWork } from '../../src/db/mcp-tasks.js';
import type { VideoRow } from '../../src/db/schema.js';
import { describeEvent, taskEndOf } from '../../src/service/mcp-task-status.js';

const now = new Date('2026-01-01T12:00:00Z');
const secondsAgo = (s: number) => new Date(now.getTime() - s * 1000);

function task(fields: Partial<McpTaskWithWork>): McpTaskWithWork {
  return {
    id: 't',
    user_id: 'u',
    video_id: 'v',
    verb: 'create_video',
    work_seq: 1,
    status: 'working',
    status_message: null,
    error_code: null,
    error_message: null,
    ttl_ms: 60_000,
    poll_interval_ms: 1000,
    expires_at: null,
    created_at: secondsAgo(60),
    updated_at: secondsAgo(60),
    work_status: 'running',
    work_finished_at: null,
    latest_work_seq: 1,
    ...fields,
  };
}

const video = (fields: Partial<VideoRow>) =>
  ({ status: 'generating', stage_message: null, error_message: null, progress: 40, ...fields }) as VideoRow;

describe('the end of an MCP task, from its work and video', () => {
  it('keeps working while the work runs, and waits for the video to show a finished work', () => {
    expect(taskEndOf(task({}), video({}), now)).toBeUndefined();
    const finished = task({ work_status: 'succeeded', work_finished_at: secondsAgo(1) });
    expect(taskEndOf(finished, video({ status: 'scoring' }), now)).toBeUndefined();
    expect(taskEndOf(finished, video({ status: 'ready', stage_message: 'Ready' }), now)).toEqual({
      status: 'completed',
      message: 'Ready',
    });
  });

  it('ends once a newer work took the video over, or when the video never catches up', () => {
    const finished = task({ work_status: 'succeeded', work_finished_at: secondsAgo(1), latest_work_seq: 2 });
    expect(taskEndOf(finished, video({ status: 'generating' }), now)?.status).toBe('completed');
    const stale = task({ work_status: 'succeeded', work_finished_at: secondsAgo(31) });
    expect(taskEndOf(stale, video({ status: 'scoring' }), now)?.status).toBe('completed');
  });

  it('fails with the reason when the work failed, even on a video still ready on its previous take', () => {
    const failed = task({ verb: 'regenerate_scene', work_status: 'failed', work_finished_at: secondsAgo(1) });
    const message = 'Scene 1 could not be regenerated (boom); the video keeps its previous take.';
    expect(taskEndOf(failed, video({ status: 'ready', stage_message: message }), now)).toEqual({
      status: 'failed',
      message,
    });
  });

  it('is cancelled with its video, and completes a call that left the video awaiting approval', () => {
    expect(taskEndOf(task({}), video({ status: 'cancelled' }), now)?.status).toBe('cancelled');
    const held = task({ work_seq: null, work_status: null, latest_work_seq: 0 });
    expect(taskEndOf(held, video({ status: 'awaiting_approval', stage_message: 'approve it' }), now)).toEqual({
      status: 'completed',
      message: 'approve it',
    });
    expect(taskEndOf(held, video({ status: 'queued' }), now)).toBeUndefined();
  });

  it('describes a working task by its latest event', () => {
    expect(
      describeEvent({
        id: 'e',
        videoId: 'v',
        at: now.toISOString(),
        kind: 'scene_ready',
        stage: 'generating',
        percent: 57.6,
        sceneIndex: 2,
        sceneCount: 3,
        etaS: 125,
      }),
    ).toBe('generating, 58%; scene 2 of 3 ready; about 2 min left');
    expect(
      describeEvent({
        id: 'e',
        videoId: 'v',
        at: now.toISOString(),
        kind: 'queued',
        stage: 'queued',
        percent: 0,
        queuePosition: 2,
      }),
    ).toBe('queued, 0%; number 2 in your line');
  });
});
