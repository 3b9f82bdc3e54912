import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { VideoView } from '@reelsmith/core';
import { type ViewerMedia, viewerMetaOf } from '../viewer/viewer-media.js';
import { VIEWER_META_KEY } from '../viewer/viewer-meta.js';
import { resourceLinksOf } from './links.js';
import { toolResult } from './tool-result.js';
import { toVideoOutput, VideoOutputSchema } from './video-output.js';

/**
 * A video tool's result: the video as structured content (and JSON text) plus a resource link per
 * clip and the final video. With `viewer` (tools that open the viewer) `_meta["reelsmith/viewer"]`
 * also says where the viewer loads each file from.
 */
export function videoResult(view: VideoView, viewer?: ViewerMedia): CallToolResult {
  const result = toolResult(VideoOutputSchema, toVideoOutput(view), resourceLinksOf(view));
  if (!viewer) return result;
  return { ...result, _meta: { ...result._meta, [VIEWER_META_KEY]: viewerMetaOf(view, viewer) } };
}
