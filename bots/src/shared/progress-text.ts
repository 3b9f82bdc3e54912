import type { VideoView } from '@reelsmith/core';

const BAR_CELLS = 10;

/** `▰▰▰▱▱▱▱▱▱▱ 30%`: the text progress bar every front shows. */
export function progressBar(percent: number): string {
  const filled = Math.max(0, Math.min(BAR_CELLS, Math.round((percent / 100) * BAR_CELLS)));
  return `${'▰'.repeat(filled)}${'▱'.repeat(BAR_CELLS - filled)} ${Math.round(percent)}%`;
}

/** `1m 20s`, `45s`, `2h 5m`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60 ? ` ${s % 60}s` : ''}`;
  return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)}m` : ''}`;
}

/** `0:05–0:10`. */
export function timeRange(startS: number, durationS: number): string {
  const clock = (t: number) => `${Math.floor(t / 60)}:${String(Math.round(t % 60)).padStart(2, '0')}`;
  return `${clock(startS)}–${clock(startS + durationS)}`;
}

/** Who made the pictures: the animatic is always called a preview. */
export function providerLabel(view: Pick<VideoView, 'preview' | 'provider' | 'model'>): string {
  return view.preview
    ? `animatic preview (local render standing in for ${view.model})`
    : `${view.provider} · ${view.model}`;
}

/** What the video cost, or for a preview what it would cost. */
export function costLine(view: Pick<VideoView, 'preview' | 'cost'>): string {
  return view.preview
    ? `preview, $0, would cost ≈ $${Math.max(view.cost.estimatedUsd, view.cost.wouldCostUsd).toFixed(2)}`
    : `$${view.cost.actualUsd.toFixed(2)} (estimated $${view.cost.estimatedUsd.toFixed(2)})`;
}

/**
 * The status lines of a working video: bar and stage, scene n/N, place in line, ETA, provider.
 * Every front renders these lines its own way.
 */
export function statusLines(view: VideoView): string[] {
  const stage =
    view.status === 'queued' && view.queuePosition ? `waiting, ${ordinal(view.queuePosition)} in line` : view.status;
  const lines = [`${progressBar(view.progress)} — ${stage}`];
  const total = view.scenes.length;
  const details = [
    total > 0 ? `scene ${Math.min(total, view.scenesReady + (view.status === 'ready' ? 0 : 1))}/${total}` : '',
    view.etaS !== null && view.etaS > 0 ? `ETA ${duration(view.etaS)}` : '',
  ].filter(Boolean);
  if (details.length > 0) lines.push(details.join(' · '));
  lines.push(providerLabel(view));
  if (view.message) lines.push(view.message);
  return lines;
}

function ordinal(n: number): string {
  const tens = n % 100;
  return `${n}${tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')}`;
}

/** `text` cut to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
