import type { SceneView, VideoView } from '@reelsmith/core';
import { timeRange, truncate } from './progress-text.js';

/** A scene card as every front shows it, before any platform's markup. */
export interface SceneCardModel {
  /** 1-based. */
  index: number;
  title: string;
  prompt: string;
  /** `hailuo · v2 · $0.27` (or `· preview`). */
  facts: string;
  /** `v1 · v2 · **v3**` when there are several versions; the current one marked. */
  versions: string | undefined;
  /** Storage key of the current clip, when there is one. */
  clipKey: string | undefined;
  currentVersion: number | null;
  /** Why the scene has no clip or its newest version failed. */
  note: string | undefined;
  canLipsync: boolean;
}

/** The card model of scene `scene` of `view`. */
export function sceneCardModel(view: VideoView, scene: SceneView): SceneCardModel {
  const current = scene.versions.find((version) => version.version === scene.currentVersion);
  const cost = view.preview ? 'preview' : `$${(current?.costUsd ?? 0).toFixed(2)}`;
  const versions =
    scene.versions.length > 1
      ? scene.versions
          .map((version) =>
            version.version === scene.currentVersion
              ? `**v${version.version}**`
              : `v${version.version}${version.status === 'failed' ? ' (failed)' : ''}`,
          )
          .join(' · ')
      : undefined;
  return {
    index: scene.index,
    title: `Scene ${scene.index}/${view.scenes.length} · ${timeRange(scene.startS, scene.durationS)}`,
    prompt: truncate(scene.prompt, 1500),
    facts: [current?.model ?? view.model, scene.currentVersion ? `v${scene.currentVersion}` : 'no clip yet', cost].join(
      ' · ',
    ),
    versions,
    clipKey: scene.clip?.key,
    currentVersion: scene.currentVersion,
    note: scene.message,
    canLipsync: view.audio && scene.currentVersion !== null,
  };
}
