import { escapeFilterValue } from '../../media/filter-escape.js';
import { rgbOf } from './palette.js';

/** How a gradient is drawn: ffmpeg's `gradients` source (ffmpeg ≥ 4.4) or the portable `geq` equivalent. */
export type GradientEngine = 'gradients' | 'geq';

/** A linear gradient filling a width×height frame. */
export interface GradientSpec {
  width: number;
  height: number;
  /** 2–8 colours as `rrggbb`, spread evenly along the gradient line. */
  colours: readonly string[];
  /** Direction of the gradient line in degrees (0 = left to right, 90 = top to bottom). */
  angleDeg: number;
}

/**
 * A filter source that emits width×height rgb24 frames of the gradient (take one with `-frames:v 1`).
 * Both engines draw the same picture: colours interpolated along the line through the frame's centre at
 * `angleDeg`, clamped to the end colours beyond the frame's edge points.
 */
export function gradientSource(spec: GradientSpec, engine: GradientEngine): string {
  const { width, height, colours } = spec;
  const { x0, y0, x1, y1 } = gradientLine(spec);
  if (engine === 'gradients') {
    const stops = colours.map((colour, i) => `c${i}=0x${colour}`).join(':');
    const line = `x0=${x0}:y0=${y0}:x1=${x1}:y1=${y1}`;
    return `gradients=s=${width}x${height}:r=1:n=${colours.length}:${stops}:${line}:speed=0.00001:seed=0,format=rgb24`;
  }
  const dx = x1 - x0;
  const dy = y1 - y0;
  const position = `st(0,clip(((X-${x0})*${dx}+(Y-${y0})*${dy})/${dx * dx + dy * dy},0,1)*${colours.length - 1})`;
  const channel = (index: 0 | 1 | 2): string =>
    escapeFilterValue(`${position};${piecewise(colours.map((colour) => rgbOf(colour)[index]))}`);
  return [
    `color=c=black:s=${width}x${height}:r=1`,
    'format=gbrp',
    `geq=r=${channel(0)}:g=${channel(1)}:b=${channel(2)}`,
    'format=rgb24',
  ].join(',');
}

function piecewise(values: readonly number[]): string {
  const segments = values.slice(0, -1).map((from, k) => {
    const to = values[k + 1] ?? from;
    return { k, ramp: `${from}+${to - from}*(ld(0)-${k})` };
  });
  const last = segments.pop();
  if (!last) return String(values[0] ?? 0);
  return segments.reduceRight((inner, { k, ramp }) => `if(lt(ld(0),${k + 1}),${ramp},${inner})`, last.ramp);
}

function gradientLine(spec: GradientSpec): { x0: number; y0: number; x1: number; y1: number } {
  const cx = (spec.width - 1) / 2;
  const cy = (spec.height - 1) / 2;
  const radians = (spec.angleDeg * Math.PI) / 180;
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  const reach = Math.min(
    Math.abs(cos) > 1e-9 ? cx / Math.abs(cos) : Number.POSITIVE_INFINITY,
    Math.abs(sin) > 1e-9 ? cy / Math.abs(sin) : Number.POSITIVE_INFINITY,
  );
  const clampX = (x: number): number => Math.min(spec.width - 1, Math.max(0, Math.round(x)));
  const clampY = (y: number): number => Math.min(spec.height - 1, Math.max(0, Math.round(y)));
  const line = {
    x0: clampX(cx - reach * cos),
    y0: clampY(cy - reach * sin),
    x1: clampX(cx + reach * cos),
    y1: clampY(cy + reach * sin),
  };
  if (line.x0 === line.x1 && line.y0 === line.y1) return { x0: 0, y0: 0, x1: Math.max(1, spec.width - 1), y1: 0 };
  return line;
}
