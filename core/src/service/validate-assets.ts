import { isUuid } from '../db/ids.js';
import { UserError } from '../errors.js';
import type { AssetSearchQuery, ListAssetsRequest, SearchAssetsOptions } from './asset-types.js';

export const MAX_ASSET_NAME_CHARS = 100;
export const MAX_TAG_CHARS = 50;
export const MAX_TAGS = 30;
export const MAX_SEARCH_TEXT_CHARS = 500;
export const MAX_STYLE_SEEDS = 20;
const KINDS = ['image', 'audio', 'character_reference'] as const;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this rejects
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A UUID asset id, lowercased. @throws UserError `invalid_id`. */
export function checkAssetId(assetId: unknown): string {
  const id = typeof assetId === 'string' ? assetId.trim() : '';
  if (!isUuid(id)) {
    throw new UserError('invalid_id', `"${String(assetId)}" is not an asset id (expected a UUID like 3f2a…-…).`);
  }
  return id.toLowerCase();
}

/** A name of 1–100 characters once trimmed, without control characters. @throws UserError `invalid_name`. */
export function checkAssetName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed.length === 0 || [...trimmed].length > MAX_ASSET_NAME_CHARS || CONTROL.test(trimmed)) {
    throw new UserError(
      'invalid_name',
      `An asset name must be 1–${MAX_ASSET_NAME_CHARS} characters without line breaks; got ${describe(name)}.`,
    );
  }
  return trimmed;
}

/** A tag trimmed and lowercased: 1–50 characters, no control characters or commas. */
export function checkTag(tag: unknown): string {
  const cleaned = typeof tag === 'string' ? tag.trim().toLowerCase() : '';
  if ([...cleaned].length > MAX_TAG_CHARS) {
    throw new UserError(
      'tag_too_long',
      `Tag "${cleaned.slice(0, 60)}…" is ${[...cleaned].length} characters; a tag may have at most ${MAX_TAG_CHARS}.`,
    );
  }
  if (cleaned.length === 0 || CONTROL.test(cleaned) || cleaned.includes(',')) {
    throw new UserError(
      'invalid_tag',
      `A tag must be 1–${MAX_TAG_CHARS} characters without commas or line breaks; got ${describe(tag)}.`,
    );
  }
  return cleaned;
}

/** `current` with `change` applied (added tags at the end, duplicates dropped). @throws UserError for a bad tag or more than 30. */
export function applyTagChange(current: readonly string[], change: { add?: unknown; remove?: unknown }): string[] {
  const add = tagList(change.add, 'add').map(checkTag);
  const remove = new Set(tagList(change.remove, 'remove').map(checkTag));
  const next = [...new Set([...current, ...add])].filter((tag) => !remove.has(tag));
  if (next.length > MAX_TAGS) {
    throw new UserError(
      'too_many_tags',
      `An asset may have at most ${MAX_TAGS} tags; this change would give it ${next.length}. Remove some first.`,
    );
  }
  return next;
}

function tagList(value: unknown, what: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new UserError('invalid_tag', `Tags to ${what} must be a list of words.`);
  return value;
}

export function checkListAssetsRequest(opts: ListAssetsRequest): ListAssetsRequest {
  if (opts.kind !== undefined && !(KINDS as readonly string[]).includes(opts.kind)) {
    throw new UserError('invalid_kind', `Asset kind must be one of ${KINDS.join(', ')}; got ${describe(opts.kind)}.`);
  }
  return {
    ...(opts.kind ? { kind: opts.kind } : {}),
    ...(opts.tag !== undefined ? { tag: checkTag(opts.tag) } : {}),
    ...(opts.limit !== undefined ? { limit: checkLimit(opts.limit) } : {}),
  };
}

/** A checked search: blank text or an empty `styleOf` is `empty_query`; ids must be UUIDs. */
export type CheckedSearch =
  | { kind: 'text'; text: string }
  | { kind: 'similar'; assetId: string }
  | { kind: 'style'; assetIds: string[] };

export function checkSearchQuery(query: AssetSearchQuery): CheckedSearch {
  const q = (query ?? {}) as Partial<{ text: unknown; similarTo: unknown; styleOf: unknown }>;
  const given = ['text', 'similarTo', 'styleOf'].filter((key) => (q as Record<string, unknown>)[key] !== undefined);
  if (given.length !== 1) {
    throw new UserError(
      given.length === 0 ? 'empty_query' : 'invalid_query',
      'Search by exactly one of: a text, an asset to find similar ones to, or a set of assets to match the style of.',
    );
  }
  if (q.text !== undefined) {
    const text = typeof q.text === 'string' ? q.text.trim() : '';
    if (!text) throw new UserError('empty_query', 'Say what to look for, e.g. "blue energy drink can".');
    if ([...text].length > MAX_SEARCH_TEXT_CHARS) {
      throw new UserError('query_too_long', `A search text may have at most ${MAX_SEARCH_TEXT_CHARS} characters.`);
    }
    return { kind: 'text', text };
  }
  if (q.similarTo !== undefined) return { kind: 'similar', assetId: checkAssetId(q.similarTo) };
  if (!Array.isArray(q.styleOf) || q.styleOf.length === 0) {
    throw new UserError('empty_query', 'Give at least one asset whose style to match.');
  }
  if (q.styleOf.length > MAX_STYLE_SEEDS) {
    throw new UserError('query_too_long', `Match the style of at most ${MAX_STYLE_SEEDS} assets at once.`);
  }
  return { kind: 'style', assetIds: [...new Set(q.styleOf.map(checkAssetId))] };
}

export function checkSearchOptions(opts: SearchAssetsOptions): { limit: number; minScore: number | undefined } {
  const limit = opts.limit === undefined ? 20 : checkLimit(opts.limit);
  const { minScore } = opts;
  if (minScore !== undefined && !(typeof minScore === 'number' && minScore >= 0 && minScore <= 1)) {
    throw new UserError('invalid_min_score', `The minimum score must be between 0 and 1; got ${describe(minScore)}.`);
  }
  return { limit, minScore };
}

function checkLimit(limit: unknown): number {
  if (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > 100) {
    throw new UserError('invalid_limit', `The limit must be a whole number from 1 to 100; got ${describe(limit)}.`);
  }
  return limit as number;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value.trim() ? JSON.stringify(value.slice(0, 120)) : 'an empty text';
  return String(value);
}
