/**
 * The parts of a video tool's `structuredContent` (VideoOutputSchema, snake_case on the wire) that
 * the view reads. Kept here, free of server imports, because the view is bundled for the browser.
 */
export interface ViewerVersion {
  version: number;
  kind: string;
  status: string;
  prompt: string;
  cost_usd?: number;
  error?: string;
}

export interface ViewerScene {
  scene: number;
  start_seconds: number;
  duration_seconds: number;
  prompt: string;
  status: string;
  current_version: number | null;
  versions: ViewerVersion[];
  message?: string;
}

export interface ViewerVideo {
  video_id: string;
  status: 'awaiting_approval' | 'queued' | 'running' | 'ready' | 'failed' | 'cancelled';
  stage: string;
  done: boolean;
  progress: number;
  message: string | null;
  error: { code: string; message: string } | null;
  prompt: string;
  preview: boolean;
  duration_seconds: number;
  cost: { estimated_usd: number; actual_usd: number; would_cost_usd: number };
  take: { number: number; duration_seconds: number } | null;
  scenes: ViewerScene[];
}

/** Scenes can be regenerated only when the video is at rest in one of these. */
export function canRevise(video: ViewerVideo): boolean {
  return video.status === 'ready' || video.status === 'failed';
}
