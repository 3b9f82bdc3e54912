import {
  GetBucketLifecycleConfigurationCommand,
  type LifecycleRule,
  PutBucketLifecycleConfigurationCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { toStorageError } from '../s3-errors.js';
import { LIFECYCLE_TAG } from './tag.js';

/** The ID of Reelsmith's rule in the bucket's lifecycle configuration; other rules there are left alone. */
export const LIFECYCLE_RULE_ID = 'reelsmith-expire-intermediates';

/**
 * Days S3 keeps a tagged object: KEEP_INTERMEDIATES_HOURS rounded up to whole days, at least 1 (S3
 * counts whole days, and from the object's write, not from when its version stopped being current).
 */
export function expirationDays(keepIntermediatesHours: number): number {
  return Math.max(1, Math.ceil(keepIntermediatesHours / 24));
}

/** The rule that expires every object tagged `reelsmith-lifecycle=intermediate`. */
export function intermediatesLifecycleRule(keepIntermediatesHours: number): LifecycleRule {
  return {
    ID: LIFECYCLE_RULE_ID,
    Status: 'Enabled',
    Filter: { Tag: { Key: LIFECYCLE_TAG.key, Value: LIFECYCLE_TAG.value } },
    Expiration: { Days: expirationDays(keepIntermediatesHours) },
  };
}

/** The bucket's lifecycle rules; none when it has no configuration. */
export async function readLifecycleRules(client: S3Client, bucket: string): Promise<LifecycleRule[]> {
  try {
    const answer = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    return answer.Rules ?? [];
  } catch (error) {
    if ((error as { name?: unknown })?.name === 'NoSuchLifecycleConfiguration') return [];
    throw toStorageError('GET lifecycle', bucket, error);
  }
}

export type ApplyLifecycleRuleResult = {
  /** The configuration now on the bucket: the other rules it had, then Reelsmith's. */
  rules: LifecycleRule[];
  /** True when Reelsmith's rule was already there (and was replaced). */
  replaced: boolean;
};

/**
 * Puts Reelsmith's rule on the bucket. PutBucketLifecycleConfiguration replaces the whole
 * configuration, so the current one is read first and every rule with another ID is kept.
 * Idempotent. Needs s3:GetLifecycleConfiguration and s3:PutLifecycleConfiguration.
 */
export async function applyLifecycleRule(
  client: S3Client,
  bucket: string,
  keepIntermediatesHours: number,
): Promise<ApplyLifecycleRuleResult> {
  const current = await readLifecycleRules(client, bucket);
  const others = current.filter((rule) => rule.ID !== LIFECYCLE_RULE_ID);
  const rules = [...others, intermediatesLifecycleRule(keepIntermediatesHours)];
  try {
    await client.send(
      new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: rules } }),
    );
  } catch (error) {
    throw toStorageError('PUT lifecycle', bucket, error);
  }
  return { rules, replaced: others.length !== current.length };
}
