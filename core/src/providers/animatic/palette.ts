/** Card gradient used when a request brings no usable palette: deep navy, slate blue, warm amber. */
export const DEFAULT_PALETTE: readonly string[] = Object.freeze(['#14213d', '#3a506b', '#f4a261']);

const MAX_COLOURS = 5;
const HEX = /^#?([0-9a-f]{6})$/i;

/**
 * The 2–5 colours (`rrggbb`, lower case, no `#`) a card gradient is drawn with. Entries that are not
 * `#rrggbb` are skipped and only the first five kept; a single usable colour is paired with a darker
 * shade of itself; none falls back to `fallback` (default `DEFAULT_PALETTE`). A preview never fails
 * over a palette.
 */
export function resolvePalette(
  palette: readonly string[] | undefined,
  fallback: readonly string[] = DEFAULT_PALETTE,
): string[] {
  const usable = pickColours(palette);
  if (usable.length >= 2) return usable;
  const [only] = usable;
  if (only !== undefined) return [only, darken(only, 0.45)];
  const defaults = pickColours(fallback);
  return defaults.length >= 2 ? defaults : pickColours(DEFAULT_PALETTE);
}

/** `colours` rotated left by `steps` (variant cards start their gradient on a different colour). */
export function rotatePalette(colours: readonly string[], steps: number): string[] {
  if (colours.length === 0) return [];
  const shift = ((steps % colours.length) + colours.length) % colours.length;
  return [...colours.slice(shift), ...colours.slice(0, shift)];
}

/** The red, green and blue bytes of an `rrggbb` colour. */
export function rgbOf(colour: string): [number, number, number] {
  const value = Number.parseInt(colour, 16);
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

function pickColours(palette: readonly string[] | undefined): string[] {
  const colours: string[] = [];
  for (const entry of palette ?? []) {
    const match = HEX.exec(entry.trim());
    if (match?.[1]) colours.push(match[1].toLowerCase());
    if (colours.length === MAX_COLOURS) break;
  }
  return colours;
}

function darken(colour: string, factor: number): string {
  return rgbOf(colour)
    .map((channel) =>
      Math.round(channel * factor)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('');
}
