import type { ViewerMeta } from '../viewer-meta.js';
import type { MediaSources } from './media-sources.js';
import { createSceneCard, type Regenerate, type SceneCard } from './scene-card.js';
import { canRevise, type ViewerVideo } from './video-shape.js';

export interface ViewerPage {
  /** Draws the video: header and live progress, the player, a card per scene (kept across updates). */
  render(video: ViewerVideo, media: ViewerMeta | undefined): void;
  showError(message: string | null): void;
}

const STATUS_LABELS: Record<ViewerVideo['status'], string> = {
  awaiting_approval: 'Waiting for approval',
  queued: 'Queued',
  running: 'Rendering',
  ready: 'Ready',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** The viewer's DOM (the elements of video.html). */
export function createViewerPage(doc: Document, sources: MediaSources, regenerate: Regenerate): ViewerPage {
  const byId = <T extends HTMLElement>(id: string) => doc.getElementById(id) as T;
  const title = byId<HTMLElement>('title');
  const status = byId<HTMLElement>('status');
  const progress = byId<HTMLProgressElement>('progress');
  const player = byId<HTMLVideoElement>('player');
  const error = byId<HTMLElement>('error');
  const scenes = byId<HTMLElement>('scenes');
  const template = byId<HTMLTemplateElement>('scene-card');
  const cards = new Map<number, SceneCard>();

  return {
    render(video, media) {
      title.textContent = video.prompt;
      const percent = Math.round(video.progress);
      const parts = [STATUS_LABELS[video.status]];
      if (!video.done) parts.push(`${percent}%`);
      if (video.message) parts.push(video.message);
      if (video.preview) parts.push('animatic preview, not model output');
      parts.push(`$${video.cost.actual_usd.toFixed(2)} spent`);
      status.textContent = parts.join(' · ');
      status.dataset.status = video.status;
      progress.hidden = video.done;
      progress.value = percent;
      sources.attach(player, 'src', media?.final_video ?? media?.take ?? null);
      player.hidden = !(media?.final_video ?? media?.take);
      error.textContent = video.error?.message ?? '';
      error.hidden = !video.error;

      const revisable = canRevise(video);
      for (const scene of video.scenes) {
        let card = cards.get(scene.scene);
        if (!card) {
          card = createSceneCard(template, scene.scene, sources, regenerate);
          cards.set(scene.scene, card);
          scenes.append(card.element);
        }
        card.update(scene, media?.scenes[String(scene.scene)] ?? { clip: null, storyboard: null }, revisable);
      }
    },
    showError(message) {
      error.textContent = message ?? '';
      error.hidden = !message;
    },
  };
}
