import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Owner, VideoView } from '../../src/service/types.js';
import { paidStandIn } from '../helpers/paid-stand-in.js';
import { createTestStack, type TestStack } from '../helpers/pipeline.js';
import { toneAmplitude } from '../providers/animatic/fixtures.js';

const owner: Owner = { platform: 'discord', platformUserId: 'owner-42' };
const other: Owner = { platform: 'discord', platformUserId: 'other-7' };
const pathOf = (link: VideoView['final']) => (link && 'path' in link ? link.path : '');

describe('the approval gate', () => {
  let stack: TestStack;
  let calls: { count: number };
  beforeAll(async () => {
    const paid = paidStandIn();
    calls = paid.calls;
    stack = await createTestStack({ providers: paid.providers, approvalThresholdUsd: 0.05, dailyBudgetUsd: 5 });
  });
  afterAll(() => stack?.close());

  it('holds a video above the threshold with zero generations until it is approved', async () => {
    const created = await stack.service.create(owner, {
      prompt: 'a glass of lemonade in the sun',
      durationS: 5,
      model: 'tiny',
    });
    expect(created.status).toBe('awaiting_approval');
    expect(created.message).toMatch(/approval threshold/);
    await stack.service.settled(created.videoId);
    expect(calls.count).toBe(0);
    await expect(stack.service.approve(other, created.videoId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(stack.service.regenerateScene(owner, created.videoId, 1)).rejects.toMatchObject({
      code: 'awaiting_approval',
    });

    const approved = await stack.service.approve(owner, created.videoId);
    expect(approved.status).toBe('queued');
    await stack.service.settled(created.videoId);
    const done = await stack.service.get(owner, created.videoId);
    expect(done.status).toBe('ready');
    expect(calls.count).toBeGreaterThan(0);
    await expect(stack.service.approve(owner, created.videoId)).rejects.toMatchObject({
      code: 'not_awaiting_approval',
    });
  });

  it('refuses a video whose estimate is over what is left of the daily budget, creating nothing', async () => {
    const before = await stack.service.list(owner);
    await expect(
      stack.service.create(owner, { prompt: 'a long documentary', durationS: 120, model: 'veo3' }),
    ).rejects.toMatchObject({ code: 'budget_exceeded' });
    expect(await stack.service.list(owner)).toEqual(before);
  });
});

describe('lipsync', () => {
  let stack: TestStack;
  let videoId: string;
  let audioAssetId: string;
  beforeAll(async () => {
    stack = await createTestStack();
    const wav = join(stack.dataDir, 'voice.wav');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=12', '-ar', '48000', wav]);
    const audio = await stack.service.addAsset(owner, { bytes: await readFile(wav), filename: 'voice.wav' }, 'audio');
    audioAssetId = audio.assetId;
    const created = await stack.service.create(owner, {
      prompt: 'a singer on a rooftop at night',
      mode: 'music_video',
      characterDescription: 'a singer in a green jacket',
      durationS: 10,
      model: 'tiny',
      audioAssetId,
    });
    await stack.service.settled(created.videoId);
    videoId = created.videoId;
  });
  afterAll(() => stack?.close());

  it("makes a lipsync version of the scene carrying the track's segment, then a new take", async () => {
    const before = await stack.service.get(owner, videoId);
    expect(before.status).toBe('ready');
    await stack.service.lipsyncScene(owner, videoId, 2);
    await stack.service.settled(videoId);
    const after = await stack.service.get(owner, videoId);
    const scene = after.scenes[1];
    expect(after.status).toBe('ready');
    expect(scene?.versions.at(-1)).toMatchObject({ kind: 'lipsync', status: 'succeeded' });
    expect(scene?.currentVersion).toBe(2);
    expect(after.take?.number).toBe((before.take?.number ?? 0) + 1);
    const clip = pathOf(scene?.clip ?? null);
    expect(toneAmplitude(clip, 440, 0.5, 2)).toBeGreaterThan(
      toneAmplitude(pathOf(before.scenes[1]?.clip ?? null), 440, 0.5, 2) * 10,
    );
  });

  it('refuses a range outside the track, a missing track and a file that is not audio, changing nothing', async () => {
    const before = await stack.service.get(owner, videoId);
    await expect(stack.service.lipsyncScene(owner, videoId, 1, { startS: 8, endS: 20 })).rejects.toMatchObject({
      code: 'invalid_lipsync_range',
    });
    await expect(
      stack.service.addAsset(
        owner,
        { bytes: new TextEncoder().encode('definitely not audio'), filename: 'song.mp3' },
        'audio',
      ),
    ).rejects.toMatchObject({ code: 'invalid_audio' });
    const silent = await stack.service.create(owner, { prompt: 'a silent film', durationS: 5, model: 'tiny' });
    await stack.service.settled(silent.videoId);
    await expect(stack.service.lipsyncScene(owner, silent.videoId, 1)).rejects.toMatchObject({ code: 'no_audio' });
    expect(await stack.service.get(owner, videoId)).toEqual(before);
  });
});

describe('character references', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack({ approvalThresholdUsd: 0 });
  });
  afterAll(() => stack?.close());

  it('creates candidates, lets the owner pick one, and conditions the storyboard with it', async () => {
    const refs = await stack.service.createCharacterReferences(owner, {
      description: 'an old sailor with a white beard',
      count: 3,
    });
    expect(refs).toHaveLength(3);
    for (const ref of refs) expect(ref).toMatchObject({ kind: 'character_reference', mimeType: 'image/png' });
    expect(refs.map((ref) => ref.name)).toEqual([1, 2, 3].map((n) => `an old sailor with a white beard (${n})`));
    for (const ref of refs) {
      expect(ref).toMatchObject({ caption: 'an old sailor with a white beard', embedded: true });
      expect(ref.thumbnailKey).toMatch(new RegExp(`/assets/${ref.assetId}/_thumb\\.jpg$`));
      expect(await stack.storage.exists(ref.thumbnailKey as string)).toBe(true);
    }
    const found = await stack.service.searchAssets(owner, { text: 'sailor beard' });
    expect(found.hits.map((hit) => hit.asset.assetId).sort()).toEqual(refs.map((ref) => ref.assetId).sort());
    const ledger = await stack.database.db.selectFrom('ledger').selectAll().where('kind', '=', 'image').execute();
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ quantity: 3, actual_usd: 0 });

    const video = await stack.service.create(owner, {
      prompt: 'a storm at sea',
      mode: 'music_video',
      characterDescription: 'an old sailor with a white beard',
      durationS: 10,
      model: 'tiny',
      characterReferenceAssetId: refs[1]!.assetId,
    });
    await stack.service.settled(video.videoId);
    const row = await stack.database.db
      .selectFrom('videos')
      .select('options')
      .where('id', '=', video.videoId)
      .executeTakeFirstOrThrow();
    expect(row.options).toMatchObject({ characterReferenceAssetId: refs[1]!.assetId });
    await expect(stack.service.pickCharacterReference(owner, video.videoId, refs[0]!.assetId)).rejects.toMatchObject({
      code: 'too_late',
    });
    await expect(stack.service.pickCharacterReference(other, video.videoId, refs[0]!.assetId)).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(stack.service.createCharacterReferences(owner, { description: 'x', count: 5 })).rejects.toMatchObject({
      code: 'invalid_count',
    });
  });
});
