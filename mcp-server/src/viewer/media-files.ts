import { extname } from 'node:path';
import type { FileLink, VideoView } from '@reelsmith/core';
import { mimeTypeOf } from '../output/links.js';

/** One file of a video the viewer can show, under a name that is stable for its content. */
export interface MediaFile {
  /**
   * `scene-{n}-v{version}.mp4` (a scene's current clip), `scene-{n}-storyboard.{ext}`,
   * `take-{n}-unscored.mp4` (the current take before music) or `take-{n}.mp4` (the final video).
   * A new version or take gets a new name, so a name always means the same bytes.
   */
  name: string;
  role: 'clip' | 'storyboard' | 'take' | 'final';
  /** 1-based, for clips and storyboards. */
  scene?: number;
  file: FileLink;
  mimeType: string;
}

/** The video's current files: every scene's clip and storyboard, the current take and the final video. */
export function mediaFilesOf(view: VideoView): MediaFile[] {
  const files: MediaFile[] = [];
  const add = (entry: Omit<MediaFile, 'file' | 'mimeType'>, file: FileLink | null, fallbackMime: string) => {
    if (file) files.push({ ...entry, file, mimeType: mimeTypeOf(file, fallbackMime) });
  };
  for (const scene of view.scenes) {
    const at = scene.index;
    if (scene.currentVersion !== null) {
      add({ name: `scene-${at}-v${scene.currentVersion}.mp4`, role: 'clip', scene: at }, scene.clip, 'video/mp4');
    }
    if (scene.storyboard) {
      const ext = extname(scene.storyboard.key).toLowerCase() || '.png';
      add({ name: `scene-${at}-storyboard${ext}`, role: 'storyboard', scene: at }, scene.storyboard, 'image/png');
    }
  }
  const take = view.take?.number ?? 1;
  if (view.take) add({ name: `take-${take}-unscored.mp4`, role: 'take' }, view.take.file, 'video/mp4');
  add({ name: `take-${take}.mp4`, role: 'final' }, view.final, 'video/mp4');
  return files;
}

/** The current file called `name`, or undefined (unknown, or replaced by a newer version or take). */
export function findMediaFile(view: VideoView, name: string): MediaFile | undefined {
  return mediaFilesOf(view).find((file) => file.name === name);
}
