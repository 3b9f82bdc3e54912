/**
 * Escapes a value (a file path, say) for use as a filter option inside a `-filter_complex` graph:
 * first the option level (`\`, `'`, `:`), then the graph level (`\`, `'`, `[`, `]`, `,`, `;`),
 * as ffmpeg-filters(1) "Notes on filtergraph escaping" describes.
 */
export function escapeFilterValue(value: string): string {
  const optionLevel = value.replace(/[\\':]/g, (char) => `\\${char}`);
  return optionLevel.replace(/[\\'[\],;]/g, (char) => `\\${char}`);
}
