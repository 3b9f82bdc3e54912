import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attachExternalId,
  type Database,
  findAssetForUser,
  findCurrentClipVersion,
  findLatestTake,
  findPredictionByExternalId,
  findPredictionByStepKey,
  findPredictionsByInputHash,
  findVideoById,
  insertAsset,
  insertClipVersion,
  insertLedgerEntry,
  insertPredictionIntent,
  insertScenes,
  insertTake,
  listClipVersions,
  listCurrentClipVersionsForVideo,
  recordLedgerActual,
  sumLedgerForVideo,
  sumSpendForUserSince,
  updateClipVersion,
  updatePrediction,
} from '../../src/db/index.js';
import { type DisposableDatabase, TEST_BACKENDS } from '../helpers/databases.js';
import {
  clipRow,
  createScene,
  createUser,
  createVideo,
  intentRow,
  ledgerRow,
  sceneRow,
} from '../helpers/db-fixtures.js';

const UNIQUE_VIOLATION = { code: '23505' };

describe.each(TEST_BACKENDS)('clips, takes, assets, predictions and ledger on $name', (backend) => {
  let handle: DisposableDatabase;
  let db: Kysely<Database>;

  beforeAll(async () => {
    handle = await backend.create();
    db = handle.db;
  });
  afterAll(async () => {
    await handle?.drop();
  });

  describe('clip versions', () => {
    it('numbers versions 1, 2, 3 per scene', async () => {
      const { scene } = await createScene(db);
      const other = await createScene(db);
      const versions = [];
      for (let i = 0; i < 3; i++) versions.push(await insertClipVersion(db, clipRow(scene.id)));
      const otherFirst = await insertClipVersion(db, clipRow(other.scene.id));

      expect(versions.map((v) => v.version)).toEqual([1, 2, 3]);
      expect(otherFirst.version).toBe(1);
      expect((await listClipVersions(db, scene.id)).map((v) => v.version)).toEqual([1, 2, 3]);
    });

    it('gives concurrent inserts distinct consecutive numbers', async () => {
      const { scene } = await createScene(db);
      const inserted = await Promise.all(Array.from({ length: 5 }, () => insertClipVersion(db, clipRow(scene.id))));
      expect(inserted.map((v) => v.version).sort()).toEqual([1, 2, 3, 4, 5]);
    });

    it('takes the newest succeeded version as current', async () => {
      const { video, scene } = await createScene(db);
      const v1 = await insertClipVersion(db, clipRow(scene.id));
      const v2 = await insertClipVersion(db, clipRow(scene.id, { kind: 'regenerated' }));
      const v3 = await insertClipVersion(db, clipRow(scene.id, { kind: 'lipsync' }));
      expect(await findCurrentClipVersion(db, scene.id)).toBeUndefined();

      await updateClipVersion(db, v1.id, { status: 'succeeded', storage_key: 'v1.mp4', cost_usd: 0.25 });
      await updateClipVersion(db, v2.id, { status: 'succeeded', storage_key: 'v2.mp4' });
      await updateClipVersion(db, v3.id, { status: 'failed', error_message: 'model error' });

      expect(await findCurrentClipVersion(db, scene.id)).toMatchObject({ id: v2.id, storage_key: 'v2.mp4' });
      const [second] = await insertScenes(db, [sceneRow(video.id, 1)]);
      const s2v1 = await insertClipVersion(db, clipRow(second!.id));
      await updateClipVersion(db, s2v1.id, { status: 'succeeded' });
      const current = await listCurrentClipVersionsForVideo(db, video.id);
      expect(current.map((c) => [c.scene_index, c.id])).toEqual([
        [0, v2.id],
        [1, s2v1.id],
      ]);
      expect((await listClipVersions(db, scene.id))[0]!.cost_usd).toBe(0.25);
    });

    it('refuses a version for a scene that does not exist', async () => {
      await expect(insertClipVersion(db, clipRow(randomUUID()))).rejects.toMatchObject({ code: 'not_found' });
      await expect(insertClipVersion(db, clipRow('scene-1'))).rejects.toMatchObject({ code: 'invalid_id' });
    });
  });

  describe('takes', () => {
    it('numbers takes per video and points the video at the latest', async () => {
      const { video, scene } = await createScene(db);
      const version = await insertClipVersion(db, clipRow(scene.id));
      const row = { video_id: video.id, storage_key: 'take.mp4', duration_s: 15, clip_version_ids: [version.id] };
      const first = await insertTake(db, row);
      const second = await insertTake(db, { ...row, method: 'reencode' });

      expect([first.number, second.number]).toEqual([1, 2]);
      expect(second.clip_version_ids).toEqual([version.id]);
      expect(await findLatestTake(db, video.id)).toMatchObject({ id: second.id, method: 'reencode' });
      expect((await findVideoById(db, video.id))!.current_take_id).toBe(second.id);
    });

    it('gives concurrent takes distinct consecutive numbers', async () => {
      const { video } = await createScene(db);
      const row = { video_id: video.id, storage_key: 'take.mp4', duration_s: 15 };
      const takes = await Promise.all(Array.from({ length: 4 }, () => insertTake(db, row)));

      expect(takes.map((t) => t.number).sort()).toEqual([1, 2, 3, 4]);
      expect((await findLatestTake(db, video.id))?.number).toBe(4);
    });
  });

  describe('assets', () => {
    it('stores an asset with its size as a number, visible only to its owner', async () => {
      const owner = await createUser(db);
      const stranger = await createUser(db);
      const asset = await insertAsset(db, {
        user_id: owner.id,
        kind: 'image',
        filename: 'fox.png',
        mime_type: 'image/png',
        size_bytes: 5_000_000_000,
        width: 1024,
        height: 768,
        sha256: 'ab'.repeat(32),
        storage_key: `${owner.id}/assets/x/fox.png`,
        metadata: { tags: ['fox', 'red'] },
      });

      expect(asset).toMatchObject({ size_bytes: 5_000_000_000, metadata: { tags: ['fox', 'red'] } });
      expect((await findAssetForUser(db, owner.id, asset.id))?.id).toBe(asset.id);
      expect(await findAssetForUser(db, stranger.id, asset.id)).toBeUndefined();
    });
  });

  describe('predictions', () => {
    it('records an intent, attaches the provider id once per provider, and finds by hash and step key', async () => {
      const { video } = await createScene(db);
      const stepKey = `${video.id}.chunk.0.1.0`;
      const hash = randomUUID();
      const externalId = `ext-${randomUUID()}`;
      const first = await insertPredictionIntent(db, { ...intentRow(video.id, stepKey), input_hash: hash });
      expect(first).toMatchObject({ status: 'intent', external_id: null, input: { prompt: 'waves', frames: [1, 2] } });

      const started = await attachExternalId(db, first.id, externalId);
      expect(started).toMatchObject({ status: 'starting', external_id: externalId });

      const retry = await insertPredictionIntent(db, { ...intentRow(video.id, stepKey), input_hash: hash });
      await expect(attachExternalId(db, retry.id, externalId)).rejects.toMatchObject(UNIQUE_VIOLATION);
      const elsewhere = await insertPredictionIntent(db, { ...intentRow(video.id, stepKey), provider: 'other' });
      expect(await attachExternalId(db, elsewhere.id, externalId)).toMatchObject({ external_id: externalId });

      expect((await findPredictionsByInputHash(db, hash)).map((p) => p.id).sort()).toEqual([first.id, retry.id].sort());
      expect((await findPredictionByStepKey(db, stepKey))?.step_key).toBe(stepKey);
      expect(await findPredictionByStepKey(db, `${stepKey}.missing`)).toBeUndefined();
      expect((await findPredictionByExternalId(db, 'replicate', externalId))?.id).toBe(first.id);

      const done = await updatePrediction(db, first.id, {
        status: 'succeeded',
        output: ['https://replicate.delivery/a.mp4'],
        cost_usd: 0.27,
        predict_time_s: 41.5,
      });
      expect(done).toMatchObject({ output: ['https://replicate.delivery/a.mp4'], cost_usd: 0.27 });
    });
  });

  describe('ledger', () => {
    it('sums a video’s costs as numbers', async () => {
      const { user, video } = await createScene(db);
      const a = await insertLedgerEntry(db, ledgerRow(user.id, video.id, 0.1));
      await insertLedgerEntry(db, ledgerRow(user.id, video.id, 0.2));
      await insertLedgerEntry(db, { ...ledgerRow(user.id, video.id, 0), would_cost_usd: 0.45 });
      await recordLedgerActual(db, a.id, 0.125);

      expect(await sumLedgerForVideo(db, video.id)).toEqual({
        estimatedUsd: 0.3,
        actualUsd: 0.125,
        wouldCostUsd: 0.45,
      });
      expect(await sumLedgerForVideo(db, randomUUID())).toEqual({ estimatedUsd: 0, actualUsd: 0, wouldCostUsd: 0 });
    });

    it('sums a user’s spend since a time, preferring actual costs over estimates', async () => {
      const user = await createUser(db);
      const video = await createVideo(db, user.id);
      const settled = await insertLedgerEntry(db, ledgerRow(user.id, video.id, 1));
      await recordLedgerActual(db, settled.id, 0.75);
      await insertLedgerEntry(db, ledgerRow(user.id, video.id, 0.5));
      await insertLedgerEntry(db, { ...ledgerRow(user.id, null, 9), created_at: new Date('2020-01-01T00:00:00Z') });

      expect(await sumSpendForUserSince(db, user.id, new Date('2024-01-01T00:00:00Z'))).toBe(1.25);
      expect(await sumSpendForUserSince(db, user.id, new Date('2000-01-01T00:00:00Z'))).toBe(10.25);
      expect(await sumSpendForUserSince(db, user.id, new Date(Date.now() + 60_000))).toBe(0);
    });
  });
});
