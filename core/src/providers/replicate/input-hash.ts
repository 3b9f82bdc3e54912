import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every depth and no whitespace, so equal values always serialise
 * alike whatever order their keys were built in. `undefined` members are left out, as JSON does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, inner]) => inner !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
}

/**
 * The prediction's input hash: hex sha256 of the canonical JSON of `{ model, input }`, where `model`
 * is the Replicate id (`owner/name` or `owner/name:version`) and `input` exactly what is sent. The
 * same hash is computed from a listed prediction to recognise one whose create answer was lost.
 */
export function predictionInputHash(model: string, input: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson({ model, input })).digest('hex');
}
