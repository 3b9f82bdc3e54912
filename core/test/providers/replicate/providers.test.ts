import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe, probeAudio } from '../../../src/media/probe.js';
import { ffmpegSync, makeClip, makeImage, makeTone } from '../../media/fixtures.js';
import { meanAbsDiff, thumbnail } from '../animatic/fixtures.js';
import { createHarness, type Harness, predictionRows } from './harness.js';

describe('the Replicate providers on the fake', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h?.close());

  it('makes a clip that starts on the first frame, stores it, and prices the probed seconds', async () => {
    const frame = makeImage(join(h.dir, 'frame.png'), 320, 180, 'color=c=orange');
    const clip = await h
      .providers()
      .video.generateClip(
        { model: h.registry.get('tiny'), prompt: 'a fox', firstFrame: frame, durationS: 5 },
        h.ctx('v.chunk.0.1.0'),
      );
    const info = await probe(clip.path);
    expect(info).toMatchObject({ width: 320, height: 180, videoCodec: 'h264' });
    expect(info.durationS).toBeCloseTo(2.5, 1);
    expect(meanAbsDiff(thumbnail(frame, 32, 18), thumbnail(clip.path, 32, 18, 0))).toBeLessThan(6);
    expect(clip).toMatchObject({ provider: 'replicate', model: 'tiny' });
    expect(clip.costUsd).toBeCloseTo(0.01 * info.durationS, 6);

    const [row] = await predictionRows(h.database, 'v.chunk.0.1.0');
    const [created] = h.fake.predictions();
    expect(row).toMatchObject({ status: 'succeeded', external_id: created?.id, id: clip.predictionId });
    expect(Number(row?.cost_usd)).toBeCloseTo(clip.costUsd, 6);
    expect(row?.output_key).toBe(`${h.userId}/videos/${h.videoId}/outputs/${row?.id}_0.mp4`);
    const stored = join(h.dir, 'storage', row?.output_key ?? '');
    expect(await readFile(stored)).toEqual(await readFile(clip.path));
    expect(String(created?.input.image)).toMatch(/^data:image\/png;base64,/);
  });

  it('uploads a first frame over 256 KB through the files API instead of inlining it', async () => {
    const big = join(h.dir, 'big.png');
    ffmpegSync(['-f', 'lavfi', '-i', "nullsrc=s=640x360,geq=lum='random(1)*255':cb=128:cr=128", '-frames:v', '1', big]);
    expect((await readFile(big)).length).toBeGreaterThan(256 * 1024);
    const before = h.fake.predictions().length;
    const clip = await h
      .providers()
      .video.generateClip(
        { model: h.registry.get('tiny'), prompt: 'big frame', firstFrame: big, durationS: 2.5 },
        h.ctx('v.chunk.0.1.1'),
      );
    const created = h.fake.predictions()[before];
    expect(String(created?.input.image)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\/uploads\//);
    expect(h.fake.requests().some((r) => r.method === 'POST' && r.path === '/v1/files' && r.status === 201)).toBe(true);
    expect((await probe(clip.path)).width).toBe(320);
  });

  it('returns every image of an array-output model, each priced per image', async () => {
    const images = await h
      .providers()
      .image.generateImages(
        { model: h.registry.get('flux-schnell'), prompt: 'a lighthouse', count: 2, width: 1344, height: 768 },
        h.ctx('v.storyboard.0'),
      );
    expect(images).toHaveLength(2);
    for (const image of images) {
      expect(await probe(image.path)).toMatchObject({ width: 1344, height: 768, videoCodec: 'png' });
      expect(image.costUsd).toBe(0.003);
    }
    const [row] = await predictionRows(h.database, 'v.storyboard.0');
    expect(row?.output).toMatchObject({ keys: [expect.stringMatching(/_0\.png$/), expect.stringMatching(/_1\.png$/)] });
  });

  it('makes music of the asked length as mp3, billed per run', async () => {
    const music = await h
      .providers()
      .music.generateMusic(
        { model: h.registry.get('musicgen'), prompt: 'calm piano', durationS: 3.2, tempoBpm: 90, mood: 'calm' },
        h.ctx('v.music'),
      );
    expect(music.path.endsWith('.mp3')).toBe(true);
    expect((await probeAudio(music.path)).durationS).toBeGreaterThan(3.9);
    expect(music.costUsd).toBe(0.1);
  });

  it('lip-syncs a clip to an audio track, billed per second of output', async () => {
    const video = makeClip(join(h.dir, 'talk.mp4'), { width: 320, height: 180, durationS: 2, audio: false });
    const audio = makeTone(join(h.dir, 'voice.wav'), 1.5);
    const synced = await h
      .providers()
      .lipsync.lipsync({ model: h.registry.get('lipsync-2'), video, audio }, h.ctx('v.lipsync.0'));
    const info = await probe(synced.path);
    expect(info.hasAudio).toBe(true);
    expect(synced.costUsd).toBeCloseTo(0.05 * info.durationS, 6);
  });

  it('refuses a call without a video to store its outputs under, before anything is paid', async () => {
    const before = h.fake.predictions().length;
    const { videoId: _v, userId: _u, ...bare } = h.ctx('orphan.step');
    await expect(
      h
        .providers()
        .image.generateImages(
          { model: h.registry.get('flux-schnell'), prompt: 'x', count: 1, width: 1, height: 1 },
          bare,
        ),
    ).rejects.toMatchObject({ name: 'PermanentError' });
    expect(h.fake.predictions()).toHaveLength(before);
  });
});
