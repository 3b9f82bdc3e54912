import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { VideoView } from '@reelsmith/core';
import { resourceLinksOf } from './links.js';
import { toolResult } from './tool-result.js';
import { toVideoOutput, VideoOutputSchema } from './video-output.js';

/** A video tool's result: the video as structured content (and JSON text) plus a resource link per clip and the final video. */
export function videoResult(view: VideoView): CallToolResult {
  return toolResult(VideoOutputSchema, toVideoOutput(view), resourceLinksOf(view));
}
