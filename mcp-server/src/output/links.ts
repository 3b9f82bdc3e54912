import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResourceLink } from '@modelcontextprotocol/sdk/types.js';
import type { FileLink, VideoView } from '@reelsmith/core';
import { z } from 'zod';

/** A stored file as an MCP client can open it: a presigned https URL (S3) or a file:// URL (local storage). */
export const LinkSchema = z.object({
  uri: z.string().describe('Presigned https URL (S3 storage) or file:// URL (local storage).'),
  mime_type: z.string(),
});
export type Link = z.output<typeof LinkSchema>;

const MIME_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.mp3': 'audio/mpeg',
};

/** The URI of a stored file: its presigned URL as is, or a `file://` URL of its local path. */
export function fileUri(file: FileLink): string {
  return 'url' in file ? file.url : pathToFileURL(file.path).href;
}

/** The MIME type of a stored file, from its key's extension (`fallback` when unknown). */
export function mimeTypeOf(file: FileLink, fallback: string): string {
  return MIME_TYPES[extname(file.key).toLowerCase()] ?? fallback;
}

export function linkOf(file: FileLink | null, fallbackMime: string): Link | null {
  return file ? { uri: fileUri(file), mime_type: mimeTypeOf(file, fallbackMime) } : null;
}

/**
 * One `resource_link` per playable file of the video: every scene's current clip, the current take
 * (stitched, before music), then the final video (that take scored). Animatic previews say so in their description.
 */
export function resourceLinksOf(view: VideoView): ResourceLink[] {
  const label = view.preview ? ' (animatic preview, not model output)' : '';
  const links: ResourceLink[] = [];
  for (const scene of view.scenes) {
    if (!scene.clip) continue;
    const version = scene.currentVersion ?? 1;
    links.push({
      type: 'resource_link',
      uri: fileUri(scene.clip),
      name: `scene-${scene.index}-v${version}.mp4`,
      title: `Scene ${scene.index}, version ${version}`,
      mimeType: mimeTypeOf(scene.clip, 'video/mp4'),
      description: `Clip of scene ${scene.index} (${scene.startS}–${scene.startS + scene.durationS} s)${label}: ${clip(scene.prompt)}`,
    });
  }
  if (view.take?.file) {
    links.push({
      type: 'resource_link',
      uri: fileUri(view.take.file),
      name: `video-${view.videoId}-take-${view.take.number}-unscored.mp4`,
      title: `Take ${view.take.number} (stitched, before music)`,
      mimeType: mimeTypeOf(view.take.file, 'video/mp4'),
      description: `Take ${view.take.number}: every scene's current clip stitched, without the music bed${label}.`,
    });
  }
  if (view.final) {
    const take = view.take?.number ?? 1;
    links.push({
      type: 'resource_link',
      uri: fileUri(view.final),
      name: `video-${view.videoId}-take-${take}.mp4`,
      title: `Final video, take ${take}`,
      mimeType: mimeTypeOf(view.final, 'video/mp4'),
      description: `Take ${take}: every scene's current clip stitched and scored${label}.`,
    });
  }
  return links;
}

function clip(text: string): string {
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}
