import type { FileLink, VideoView } from '../service/types.js';

const where = (link: FileLink | null) => (link ? ('path' in link ? link.path : link.url) : '—');

/** The human-readable summary of a video printed by generate / status / regenerate / stitch. */
export function renderVideo(view: VideoView): string {
  const label = view.preview ? 'animatic preview (local ffmpeg render, not model output)' : view.provider;
  const lines = [
    `Video ${view.videoId}: ${view.status}${view.message ? ` — ${view.message}` : ''}`,
    `  ${view.mode}, ${view.durationS} s, model ${view.model}, flavor ${view.flavor}, provider ${label}`,
  ];
  if (view.error) lines.push(`  error: ${view.error.message}`);
  lines.push(`  final video:    ${where(view.final)}`);
  lines.push(`  contact sheet:  ${where(view.contactSheet)}`);
  for (const scene of view.scenes) {
    const version = scene.currentVersion ? `v${scene.currentVersion}` : 'no clip';
    const range = `${scene.startS}–${scene.startS + scene.durationS} s`;
    lines.push(`  scene ${scene.index} (${range}, ${version}, ${scene.status}): ${truncate(scene.prompt, 70)}`);
  }
  const cost = view.preview
    ? `  cost: $0 (would cost ≈ $${view.cost.estimatedUsd.toFixed(2)} on ${view.model})`
    : `  cost: $${view.cost.actualUsd.toFixed(2)} (estimated $${view.cost.estimatedUsd.toFixed(2)})`;
  lines.push(cost);
  return `${lines.join('\n')}\n`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
