import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { findUserByPlatformId } from '../db/users.js';
import { UserError } from '../errors.js';
import type { Logger } from '../log.js';
import type { BlobStore } from '../storage/blob-store.js';
import { type SweepReport, sweepIntermediates } from '../storage/lifecycle/sweep.js';
import { LIFECYCLE_TAG } from '../storage/lifecycle/tag.js';
import { emptyUsage, type StorageUsage, storageUsage } from '../storage/lifecycle/usage.js';
import { type S3StorageSettings, s3ConnectionOf } from '../storage/open.js';
import type { Owner } from './types.js';

export type { SweepReport } from '../storage/lifecycle/sweep.js';

export interface StorageUsageView extends StorageUsage {
  owner: Pick<Owner, 'platform' | 'platformUserId'>;
  /** Null when Reelsmith has never seen this user (then everything is 0). */
  userId: string | null;
  backend: BlobStore['backend'];
}

/** The S3 lifecycle rule for the configured bucket, as `reelsmith storage lifecycle` prints it. */
export interface LifecycleRuleView {
  bucket: string;
  keepIntermediatesHours: number;
  /** What S3 applies: whole days, at least 1, counted from each object's write. */
  expirationDays: number;
  tag: { key: string; value: string };
  /** The rule as the S3 API takes it (one entry of `LifecycleConfiguration.Rules`). */
  rule: Record<string, unknown>;
}

export interface AppliedLifecycleRuleView extends LifecycleRuleView {
  /** Every rule now on the bucket (rules with other IDs were kept). */
  rules: Array<Record<string, unknown>>;
  /** True when the bucket already had Reelsmith's rule (now replaced). */
  replaced: boolean;
}

/** The operator's storage verbs (`reelsmith storage …`): usage per user, the sweep, the S3 lifecycle rule. */
export interface StorageAdmin {
  readonly backend: BlobStore['backend'];
  readonly keepIntermediatesHours: number;
  /** What one user holds, by category, as the store reports it now. */
  usage(owner: Pick<Owner, 'platform' | 'platformUserId'>): Promise<StorageUsageView>;
  /** Removes expired intermediates now (`sweepIntermediates`); works on either backend. */
  sweep(options?: { dryRun?: boolean; now?: Date }): Promise<SweepReport>;
  /** @throws UserError `lifecycle_needs_s3` on local storage. */
  lifecycleRule(): Promise<LifecycleRuleView>;
  /** Puts the rule on the bucket, keeping its other rules. @throws UserError `lifecycle_needs_s3` on local storage. */
  applyLifecycleRule(): Promise<AppliedLifecycleRuleView>;
  close(): Promise<void>;
}

export interface StorageAdminDeps {
  db: Kysely<Database>;
  storage: BlobStore;
  log: Logger;
  keepIntermediatesHours: number;
  /** The bucket settings when storage is S3. */
  s3: S3StorageSettings | undefined;
  /** Releases what the opener opened. */
  close?: () => Promise<void>;
}

/**
 * The storage verbs over a database and a store. The S3 rule's code (and the AWS SDK) is loaded only
 * when a rule is asked for, so local deployments never load it.
 */
export function createStorageAdmin(deps: StorageAdminDeps): StorageAdmin {
  const { db, storage, keepIntermediatesHours } = deps;

  const s3Settings = (): S3StorageSettings => {
    if (storage.backend !== 's3' || !deps.s3) {
      throw new UserError(
        'lifecycle_needs_s3',
        'The storage lifecycle rule is an S3 bucket setting, and this deployment stores files locally (S3_BUCKET is not set). Local storage is swept instead: by the worker every hour, or by `reelsmith storage sweep`.',
      );
    }
    return deps.s3;
  };

  const lifecycleRule = async (): Promise<LifecycleRuleView> => {
    const { bucket } = s3Settings();
    const { expirationDays, intermediatesLifecycleRule } = await import('../storage/lifecycle/s3-rule.js');
    return {
      bucket,
      keepIntermediatesHours,
      expirationDays: expirationDays(keepIntermediatesHours),
      tag: { key: LIFECYCLE_TAG.key, value: LIFECYCLE_TAG.value },
      rule: { ...intermediatesLifecycleRule(keepIntermediatesHours) },
    };
  };

  return {
    backend: storage.backend,
    keepIntermediatesHours,
    async usage(owner) {
      const user = await findUserByPlatformId(db, owner.platform, owner.platformUserId);
      const who = { platform: owner.platform, platformUserId: owner.platformUserId };
      if (!user) return { owner: who, userId: null, backend: storage.backend, ...emptyUsage() };
      return {
        owner: who,
        userId: user.id,
        backend: storage.backend,
        ...(await storageUsage({ db, storage }, user.id)),
      };
    },
    sweep(options = {}) {
      return sweepIntermediates({ db, storage, log: deps.log }, { keepIntermediatesHours, ...options });
    },
    lifecycleRule,
    async applyLifecycleRule() {
      const settings = s3Settings();
      const view = await lifecycleRule();
      const [{ applyLifecycleRule }, { createS3Client }] = await Promise.all([
        import('../storage/lifecycle/s3-rule.js'),
        import('../storage/s3-client.js'),
      ]);
      const client = createS3Client(s3ConnectionOf(settings));
      try {
        const result = await applyLifecycleRule(client, settings.bucket, keepIntermediatesHours);
        return { ...view, rules: result.rules.map((rule) => ({ ...rule })), replaced: result.replaced };
      } finally {
        client.destroy();
      }
    },
    close: deps.close ?? (async () => {}),
  };
}
