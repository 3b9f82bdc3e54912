import { VIDEO_STATUSES, type VideoStatus, type VideoView } from '@reelsmith/core';
import { z } from 'zod';
import { LinkSchema, linkOf } from './links.js';

/** The URI of a video's JSON resource. */
export function videoResourceUri(videoId: string): string {
  return `reelsmith://videos/${videoId}`;
}

/** Where a video is, coarsely: `running` covers every working stage. */
export const VIDEO_STATES = ['awaiting_approval', 'queued', 'running', 'ready', 'failed', 'cancelled'] as const;
export type VideoState = (typeof VIDEO_STATES)[number];

const VersionSchema = z.object({
  version: z.int(),
  kind: z.string().describe('generated, regenerated or lipsync'),
  status: z.string(),
  prompt: z.string(),
  cost_usd: z.number().describe('what this version cost; 0 for animatic previews'),
  error: z.string().optional(),
});

const SceneSchema = z.object({
  scene: z.int().describe('1-based scene number'),
  start_seconds: z.number(),
  duration_seconds: z.number(),
  prompt: z.string().describe("The current version's prompt"),
  status: z.string(),
  current_version: z.int().nullable(),
  versions: z.array(VersionSchema),
  clip: LinkSchema.nullable(),
  storyboard: LinkSchema.nullable(),
  message: z.string().optional(),
});

/** What every video tool and the `reelsmith://videos/{id}` resource return. */
export const VideoOutputSchema = z.object({
  video_id: z.string(),
  resource_uri: z.string(),
  status: z.enum(VIDEO_STATES).describe('running covers every working stage; see stage'),
  stage: z.enum(VIDEO_STATUSES),
  done: z
    .boolean()
    .describe('true when nothing is running for this video (ready, failed, cancelled or awaiting approval)'),
  progress: z.number().min(0).max(100),
  message: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  next_step: z.string(),
  mode: z.string(),
  prompt: z.string(),
  provider: z.string(),
  preview: z.boolean().describe('true for a local animatic preview, not real model output'),
  preview_of: z.string().nullable().describe('the preview this paid video was rendered from (render_video); else null'),
  model: z.string(),
  flavor: z.string(),
  duration_seconds: z.number(),
  cost: z.object({ estimated_usd: z.number(), actual_usd: z.number(), would_cost_usd: z.number() }),
  final_video: LinkSchema.nullable(),
  contact_sheet: LinkSchema.nullable(),
  take: z.object({ number: z.int(), duration_seconds: z.number() }).nullable(),
  scenes: z.array(SceneSchema),
  created_at: z.string(),
});
export type VideoOutput = z.output<typeof VideoOutputSchema>;

const WORKING: ReadonlySet<VideoStatus> = new Set(['planning', 'storyboarding', 'generating', 'stitching', 'scoring']);

export function stateOf(status: VideoStatus): VideoState {
  return WORKING.has(status) ? 'running' : (status as VideoState);
}

/** True when no work runs for the video: a waiting tool may return. */
export function isSettled(view: VideoView): boolean {
  const state = stateOf(view.status);
  return state !== 'running' && state !== 'queued';
}

export function toVideoOutput(view: VideoView): VideoOutput {
  return {
    video_id: view.videoId,
    resource_uri: videoResourceUri(view.videoId),
    status: stateOf(view.status),
    stage: view.status,
    done: isSettled(view),
    progress: view.progress,
    message: view.message,
    error: view.error,
    next_step: nextStep(view),
    mode: view.mode,
    prompt: view.prompt,
    provider: view.provider,
    preview: view.preview,
    preview_of: view.previewOf,
    model: view.model,
    flavor: view.flavor,
    duration_seconds: view.durationS,
    cost: {
      estimated_usd: view.cost.estimatedUsd,
      actual_usd: view.cost.actualUsd,
      would_cost_usd: view.cost.wouldCostUsd,
    },
    final_video: linkOf(view.final, 'video/mp4'),
    contact_sheet: linkOf(view.contactSheet, 'image/png'),
    take: view.take ? { number: view.take.number, duration_seconds: view.take.durationS } : null,
    scenes: view.scenes.map((scene) => ({
      scene: scene.index,
      start_seconds: scene.startS,
      duration_seconds: scene.durationS,
      prompt: scene.prompt,
      status: scene.status,
      current_version: scene.currentVersion,
      versions: scene.versions.map((version) => ({
        version: version.version,
        kind: version.kind,
        status: version.status,
        prompt: version.prompt,
        cost_usd: version.costUsd,
        ...(version.error ? { error: version.error } : {}),
      })),
      clip: linkOf(scene.clip, 'video/mp4'),
      storyboard: linkOf(scene.storyboard, 'image/png'),
      ...(scene.message ? { message: scene.message } : {}),
    })),
    created_at: view.createdAt,
  };
}

/** One sentence telling an assistant what it can do next with this video. */
function nextStep(view: VideoView): string {
  switch (stateOf(view.status)) {
    case 'awaiting_approval':
      return `Its estimate needs approval: call approve_video to start it (or cancel_video).`;
    case 'queued':
    case 'running':
      return 'Work runs in the background: call get_video with this video_id (every 10–20 s, or with wait_seconds) until done is true.';
    case 'ready':
      return 'Ready: open final_video. To revise, call regenerate_scene (optionally with a new prompt) or lipsync_scene, then it re-stitches; stitch_video makes a new take.';
    case 'failed':
      return `It failed${view.error ? `: ${view.error.message}` : ''}. Regenerate the failed scenes with regenerate_scene, or create a new video.`;
    case 'cancelled':
      return 'It was cancelled; create a new video to start again.';
  }
}
