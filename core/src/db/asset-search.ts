import { sql } from 'kysely';
import { accountMemberIdsSql } from './accounts.js';
import { ASSET_COLUMNS } from './assets.js';
import { isUuid } from './ids.js';
import type { AssetRow } from './schema.js';
import type { Db } from './sql-helpers.js';

/** An asset and how well it matched, 0–1. */
export type ScoredAssetRow = AssetRow & { score: number; embedded: boolean };

/**
 * Postgres full-text search over the assets of the user's account (linked identities' too) (name weighs most, then tags, then caption;
 * English stemming): any word of `text` may match, assets matching more words, and in the name,
 * rank higher. The score is `ts_rank_cd` normalised to 0–1 (normalisation 32: rank / (rank + 1)):
 * one word in the name scores 0.5, one tag 0.29, one caption word 0.17, two caption words 0.29.
 * Only hits scoring at least `minScore` come back, best first.
 */
export async function fullTextSearchAssets(
  db: Db,
  userId: string,
  params: { text: string; limit: number; minScore: number; embeddingModel: string | null },
): Promise<ScoredAssetRow[]> {
  if (!isUuid(userId)) return [];
  const { rows } = await sql<ScoredAssetRow>`
    with query as (
      select to_tsquery('simple', replace(plainto_tsquery('english', ${params.text})::text, ' & ', ' | ')) as q
    ), ranked as (
      select assets.id, ts_rank_cd(assets.search_vector, query.q, 32)::float8 as score
      from assets, query
      where assets.user_id in (${accountMemberIdsSql(userId)}) and assets.search_vector @@ query.q
    )
    select ${sql.join(ASSET_COLUMNS.map((column) => sql.ref(column)))}, ranked.score, ${embeddedFlag(params.embeddingModel)}
    from ranked join assets on assets.id = ranked.id
    where ranked.score >= ${params.minScore}
    order by ranked.score desc, assets.created_at desc, assets.id
    limit ${params.limit}
  `.execute(db);
  return rows;
}

/** `exists (…) as embedded` for `model` (false when null). */
export function embeddedFlag(model: string | null) {
  return model === null
    ? sql`false as embedded`
    : sql`exists (select 1 from asset_embeddings e where e.asset_id = assets.id and e.model = ${model}) as embedded`;
}
