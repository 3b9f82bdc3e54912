import type { Kysely } from 'kysely';
import { type ExpiredClipVersionRow, listExpiredClipVersions } from '../../db/clip-versions.js';
import { findPredictionStepKeys } from '../../db/predictions.js';
import type { Database } from '../../db/schema.js';
import { UserError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { BlobStore, StoredObject } from '../blob-store.js';
import { videoPrefix } from '../keys.js';
import { classifyKey } from './key-layout.js';

const HOUR_MS = 3_600_000;
const DELETE_CONCURRENCY = 8;

export interface SweepDeps {
  db: Kysely<Database>;
  storage: BlobStore;
  log?: Logger;
}

export interface SweepOptions {
  /** KEEP_INTERMEDIATES_HOURS: how long a version's intermediates outlive it (0 = until the next sweep). */
  keepIntermediatesHours: number;
  /** The clock's "now" (tests move it forward). Default: the current time. */
  now?: Date;
  /** List what would be removed, remove nothing. */
  dryRun?: boolean;
}

export interface SweepReport {
  /** Versions that stopped being current (or failed) at or before this instant had their intermediates removed. */
  cutoff: string;
  dryRun: boolean;
  /** Clip versions whose intermediates were looked for. */
  versions: number;
  /** Objects removed (or, with `dryRun`, that would be), and their bytes. */
  objects: number;
  bytes: number;
  keys: string[];
}

/**
 * Removes the intermediates — chunks, their last frames, and the stored copies of their provider
 * outputs — of every clip version that stopped being useful more than `keepIntermediatesHours` ago
 * (`listExpiredClipVersions`: superseded by a newer succeeded version, or failed / cancelled on an
 * idle video). Finals, takes, music, every assembled clip (current or earlier), storyboards, contact
 * sheets and assets are never touched, nor anything of a current version. Idempotent: a second run
 * finds nothing left (deleting a missing key succeeds), so overlapping runs are harmless.
 * Each video with expired versions is listed once per run.
 * @throws UserError `invalid_keep_intermediates_hours` unless the hours are a finite number ≥ 0.
 */
export async function sweepIntermediates(deps: SweepDeps, options: SweepOptions): Promise<SweepReport> {
  const hours = options.keepIntermediatesHours;
  if (!Number.isFinite(hours) || hours < 0) {
    throw new UserError(
      'invalid_keep_intermediates_hours',
      `KEEP_INTERMEDIATES_HOURS must be a number of hours ≥ 0; got ${String(hours)}.`,
    );
  }
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - hours * HOUR_MS);
  const dryRun = options.dryRun === true;
  const expired = await listExpiredClipVersions(deps.db, cutoff);
  const doomed: StoredObject[] = [];
  for (const versions of groupByVideo(expired)) doomed.push(...(await intermediatesOf(deps, versions)));
  if (!dryRun)
    await deleteAll(
      deps.storage,
      doomed.map((object) => object.key),
    );
  const report: SweepReport = {
    cutoff: cutoff.toISOString(),
    dryRun,
    versions: expired.length,
    objects: doomed.length,
    bytes: doomed.reduce((sum, object) => sum + object.sizeBytes, 0),
    keys: doomed.map((object) => object.key),
  };
  if (report.objects > 0) {
    deps.log?.info(
      { cutoff: report.cutoff, versions: report.versions, objects: report.objects, bytes: report.bytes, dryRun },
      dryRun ? 'storage sweep: intermediates that would be removed' : 'storage sweep: removed intermediates',
    );
  }
  return report;
}

function groupByVideo(rows: readonly ExpiredClipVersionRow[]): ExpiredClipVersionRow[][] {
  const byVideo = new Map<string, ExpiredClipVersionRow[]>();
  for (const row of rows) byVideo.set(row.video_id, [...(byVideo.get(row.video_id) ?? []), row]);
  return [...byVideo.values()];
}

const versionRef = (scene: number, version: number) => `${scene}.${version}`;

/** The stored intermediates of one video's expired versions (all rows share the video). */
async function intermediatesOf(deps: SweepDeps, versions: readonly ExpiredClipVersionRow[]): Promise<StoredObject[]> {
  const [first] = versions;
  if (!first) return [];
  const wanted = new Set(versions.map((row) => versionRef(row.scene_index, row.version)));
  const objects = await deps.storage.listObjects(videoPrefix(first.user_id, first.video_id));
  const outputVersions = await outputsByVersion(deps.db, first.video_id, objects);
  return objects.filter((object) => {
    const layout = classifyKey(object.key);
    if (layout.kind === 'chunk' || layout.kind === 'chunk_last_frame') {
      return wanted.has(versionRef(layout.scene, layout.version));
    }
    if (layout.kind === 'prediction_output') {
      const ref = outputVersions.get(layout.predictionId);
      return ref !== undefined && wanted.has(ref);
    }
    return false;
  });
}

/**
 * Prediction id → the scene version its step built, for the provider-output copies among `objects`
 * (chunk steps `{videoId}.chunk.{scene}.{version}.{chunk}` and lipsync steps `{videoId}.lipsync.{scene}.{version}`).
 * Copies of other steps' outputs (storyboard frames, music) belong to no version and are not listed.
 */
async function outputsByVersion(
  db: Kysely<Database>,
  videoId: string,
  objects: readonly StoredObject[],
): Promise<Map<string, string>> {
  const ids = objects.flatMap((object) => {
    const layout = classifyKey(object.key);
    return layout.kind === 'prediction_output' ? [layout.predictionId] : [];
  });
  const versionStep = new RegExp(`^${videoId}\\.(?:chunk|lipsync)\\.(\\d+)\\.(\\d+)(?:\\.|$)`);
  const refs = new Map<string, string>();
  for (const row of await findPredictionStepKeys(db, ids)) {
    const match = versionStep.exec(row.step_key);
    if (match) refs.set(row.id, versionRef(Number(match[1]), Number(match[2])));
  }
  return refs;
}

async function deleteAll(storage: BlobStore, keys: readonly string[]): Promise<void> {
  const queue = [...keys];
  const worker = async () => {
    for (let key = queue.shift(); key !== undefined; key = queue.shift()) await storage.delete(key);
  };
  await Promise.all(Array.from({ length: Math.min(DELETE_CONCURRENCY, queue.length) }, worker));
}
