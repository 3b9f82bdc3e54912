import type { VideoView } from '@reelsmith/core';
import { videoResourceUri } from '../output/video-output.js';
import { type MediaFile, mediaFilesOf } from './media-files.js';
import type { MediaRef, ViewerMeta } from './viewer-meta.js';

/**
 * How the sandboxed viewer reaches a video's files. Over stdio every file is a resource the view
 * reads through the host; over HTTP they are signed `/media/...` URLs of the server (local storage)
 * or presigned S3 URLs, whose origins the viewer's CSP declares.
 */
export interface ViewerMedia {
  /** Origins the view loads media from: the viewer resource's `_meta.ui.csp.resourceDomains`. */
  readonly origins: readonly string[];
  urlOf(videoId: string, file: MediaFile): string;
}

/** The URI of one of a video's files as an MCP resource (read as a base64 blob). */
export function videoFileUri(videoId: string, name: string): string {
  return `${videoResourceUri(videoId)}/files/${encodeURIComponent(name)}`;
}

/** Every file through `resources/read` (stdio, and any server without a media URL). */
export const RESOURCE_MEDIA: ViewerMedia = {
  origins: [],
  urlOf: (videoId, file) => videoFileUri(videoId, file.name),
};

/** The `_meta["reelsmith/viewer"]` of a video result: a reachable URI for each current file. */
export function viewerMetaOf(view: VideoView, media: ViewerMedia): ViewerMeta {
  const files = mediaFilesOf(view);
  const ref = (role: MediaFile['role'], scene?: number): MediaRef | null => {
    const file = files.find((candidate) => candidate.role === role && candidate.scene === scene);
    return file ? { name: file.name, uri: media.urlOf(view.videoId, file), mime_type: file.mimeType } : null;
  };
  return {
    final_video: ref('final'),
    take: ref('take'),
    scenes: Object.fromEntries(
      view.scenes.map((scene) => [
        String(scene.index),
        { clip: ref('clip', scene.index), storyboard: ref('storyboard', scene.index) },
      ]),
    ),
  };
}
