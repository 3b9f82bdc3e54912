import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countActiveVideosForUser,
  type Database,
  findAssetForUser,
  findCurrentClipVersion,
  findLatestTake,
  findPredictionByStepKey,
  findScene,
  findUserById,
  findVideoById,
  findVideoForUser,
  insertClipVersion,
  insertLedgerEntry,
  insertPredictionIntent,
  insertScenes,
  insertTake,
  insertVideo,
  listClipVersions,
  listScenes,
  listVideosForUser,
  setVideoStatus,
  updateScene,
  updateVideo,
  upsertUser,
} from '../../src/db/index.js';
import { UserError } from '../../src/errors.js';
import { type DisposableDatabase, TEST_BACKENDS } from '../helpers/databases.js';
import {
  clipRow,
  createScene,
  createUser,
  createVideo,
  intentRow,
  ledgerRow,
  sceneRow,
  videoRow,
} from '../helpers/db-fixtures.js';

const UNIQUE_VIOLATION = { code: '23505' };

describe.each(TEST_BACKENDS)('users, videos and scenes on $name', (backend) => {
  let handle: DisposableDatabase;
  let db: Kysely<Database>;

  beforeAll(async () => {
    handle = await backend.create();
    db = handle.db;
  });
  afterAll(async () => {
    await handle?.drop();
  });

  describe('users', () => {
    it('upserts one user per platform identity and keeps the stored name when none is given', async () => {
      const platformUserId = randomUUID();
      const first = await upsertUser(db, { platform: 'slack', platformUserId, displayName: 'Ada' });
      const again = await upsertUser(db, { platform: 'slack', platformUserId });
      const renamed = await upsertUser(db, { platform: 'slack', platformUserId, displayName: 'Ada L.' });
      const elsewhere = await upsertUser(db, { platform: 'discord', platformUserId });

      expect(again.id).toBe(first.id);
      expect(again.display_name).toBe('Ada');
      expect(renamed).toMatchObject({ id: first.id, display_name: 'Ada L.' });
      expect(elsewhere.id).not.toBe(first.id);
      expect(await findUserById(db, first.id)).toMatchObject({ platform: 'slack', display_name: 'Ada L.' });
    });
  });

  describe('videos', () => {
    it('inserts with defaults and round-trips json holding arrays', async () => {
      const user = await createUser(db);
      const video = await createVideo(db, user.id, {
        options: { referenceAssetIds: [randomUUID()], characterDescription: 'a red fox' },
        origin: { platform: 'discord', channelId: '123' },
      });

      expect(video).toMatchObject({
        status: 'queued',
        flavor: 'default',
        progress: 0,
        estimated_cost_usd: 0,
        plan: null,
        finished_at: null,
        origin: { platform: 'discord', channelId: '123' },
      });
      expect(video.created_at).toBeInstanceOf(Date);

      const plan = {
        archetype: 'reveal',
        beats: [
          { id: 'hook', durationS: 5 },
          { id: 'cta', durationS: 10 },
        ],
      };
      const updated = await updateVideo(db, video.id, { plan, estimated_cost_usd: 1.234567 });
      expect(updated).toMatchObject({ plan, estimated_cost_usd: 1.234567 });
      expect(await findVideoById(db, video.id)).toMatchObject({ plan, options: video.options });
    });

    it('moves updated_at on update and leaves created_at alone', async () => {
      const user = await createUser(db);
      const video = await createVideo(db, user.id);
      await new Promise((resolve) => setTimeout(resolve, 10));

      const updated = await updateVideo(db, video.id, { stage_message: 'planning beats' });

      expect(updated!.created_at.getTime()).toBe(video.created_at.getTime());
      expect(updated!.updated_at.getTime()).toBeGreaterThan(video.updated_at.getTime());
    });

    it('returns the first video again for a repeated idempotency key', async () => {
      const user = await createUser(db);
      const other = await createUser(db);
      const first = await insertVideo(db, { ...videoRow(user.id), idempotency_key: 'req-1' });
      const repeat = await insertVideo(db, { ...videoRow(user.id), idempotency_key: 'req-1', prompt: 'changed' });
      const otherUser = await insertVideo(db, { ...videoRow(other.id), idempotency_key: 'req-1' });

      expect(first.created).toBe(true);
      expect(repeat).toMatchObject({ created: false, video: { id: first.video.id, prompt: 'a lighthouse at dawn' } });
      expect(otherUser.created).toBe(true);
      expect(otherUser.video.id).not.toBe(first.video.id);
    });

    it('finds a video only for its owner', async () => {
      const owner = await createUser(db);
      const stranger = await createUser(db);
      const video = await createVideo(db, owner.id);

      expect((await findVideoForUser(db, owner.id, video.id))?.id).toBe(video.id);
      expect(await findVideoForUser(db, stranger.id, video.id)).toBeUndefined();
    });

    it('lists a user’s videos newest first, limited', async () => {
      const user = await createUser(db);
      const a = await createVideo(db, user.id);
      const b = await createVideo(db, user.id);
      const c = await createVideo(db, user.id);

      expect((await listVideosForUser(db, user.id)).map((v) => v.id)).toEqual([c.id, b.id, a.id]);
      expect((await listVideosForUser(db, user.id, { limit: 2 })).map((v) => v.id)).toEqual([c.id, b.id]);
    });

    it('sets status with finished_at for terminal states, honours onlyFrom, and counts active videos', async () => {
      const user = await createUser(db);
      const done = await createVideo(db, user.id);
      const running = await createVideo(db, user.id);
      await createVideo(db, user.id);

      const ready = await setVideoStatus(db, done.id, 'ready', { progress: 100 });
      expect(ready).toMatchObject({ status: 'ready', progress: 100 });
      expect(ready!.finished_at).toBeInstanceOf(Date);

      await setVideoStatus(db, running.id, 'generating', { stageMessage: 'scene 1 of 3' });
      const refused = await setVideoStatus(db, running.id, 'cancelled', { onlyFrom: ['queued'] });
      expect(refused).toBeUndefined();
      expect(await findVideoById(db, running.id)).toMatchObject({ status: 'generating', finished_at: null });

      expect(await countActiveVideosForUser(db, user.id)).toBe(2);
    });

    it('treats an id that is not a UUID as not found, and refuses it for writes', async () => {
      const user = await createUser(db);
      expect(await findVideoById(db, 'not-a-uuid')).toBeUndefined();
      expect(await findVideoForUser(db, user.id, "1'; drop table videos; --")).toBeUndefined();
      expect(await findUserById(db, '42')).toBeUndefined();
      expect(await listScenes(db, 'nope')).toEqual([]);
      expect(await findCurrentClipVersion(db, 'nope')).toBeUndefined();
      expect(await findAssetForUser(db, user.id, 'nope')).toBeUndefined();
      await expect(updateVideo(db, 'not-a-uuid', { prompt: 'x' })).rejects.toMatchObject({ code: 'invalid_id' });
      await expect(setVideoStatus(db, 'x', 'failed')).rejects.toBeInstanceOf(UserError);
    });
  });

  describe('scenes', () => {
    it('lists scenes in order, finds one by index, and enforces one scene per index', async () => {
      const user = await createUser(db);
      const video = await createVideo(db, user.id);
      await insertScenes(db, [sceneRow(video.id, 1), sceneRow(video.id, 0), sceneRow(video.id, 2)]);

      expect((await listScenes(db, video.id)).map((s) => s.index)).toEqual([0, 1, 2]);
      const second = await findScene(db, video.id, 1);
      expect(second).toMatchObject({ prompt: 'scene 1', start_s: 5, status: 'pending' });
      expect(await updateScene(db, second!.id, { status: 'ready', storyboard_key: 'k.png' })).toMatchObject({
        status: 'ready',
        storyboard_key: 'k.png',
      });
      await expect(insertScenes(db, [sceneRow(video.id, 1)])).rejects.toMatchObject(UNIQUE_VIOLATION);
    });

    it('deletes a video’s scenes, clips and takes with it, and keeps its predictions and ledger', async () => {
      const { user, video, scene } = await createScene(db);
      const version = await insertClipVersion(db, clipRow(scene.id));
      await insertTake(db, { video_id: video.id, storage_key: 't.mp4', duration_s: 5, clip_version_ids: [version.id] });
      const prediction = await insertPredictionIntent(db, intentRow(video.id, 'cascade'));
      const entry = await insertLedgerEntry(db, ledgerRow(user.id, video.id, 0.5));

      await db.deleteFrom('videos').where('id', '=', video.id).execute();

      expect(await listScenes(db, video.id)).toEqual([]);
      expect(await listClipVersions(db, scene.id)).toEqual([]);
      expect(await findLatestTake(db, video.id)).toBeUndefined();
      expect(await findPredictionByStepKey(db, prediction.step_key)).toMatchObject({ video_id: null });
      const kept = await db.selectFrom('ledger').selectAll().where('id', '=', entry.id).executeTakeFirst();
      expect(kept).toMatchObject({ video_id: null, estimated_usd: 0.5 });
    });
  });
});
