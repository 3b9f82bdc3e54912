import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mixMusic } from '../../src/media/audio.js';
import { mediaBinaries } from '../../src/media/binaries.js';
import { canStreamCopy, concatClips, copyCutPoint } from '../../src/media/concat.js';
import { presetOutputArgs } from '../../src/media/encode-preset.js';
import { imageToClip } from '../../src/media/image-to-clip.js';
import { normalizeClip } from '../../src/media/normalize.js';
import type { VideoPacket } from '../../src/media/probe.js';
import { probe } from '../../src/media/probe.js';
import { ffmpegSync, makeClip, makeImage, makeTone, makeWorkDir } from './fixtures.js';

/*
 * Durations of what the pipeline makes: clips from the shared preset (as imageToClip writes them) are
 * trimmed and joined, and the result must last the planned length: the video stream within one frame
 * (frames counted by decoding), the container within 0.05 s, the audio ending with the video, and each
 * clip's sound staying under its pictures however many clips are joined.
 */

const work = makeWorkDir();
afterAll(() => work.remove());

const FPS = 25;
const FRAME = { width: 320, height: 180, fps: FPS };

interface Measured {
  frames: number;
  videoS: number;
  audioS: number | undefined;
  containerS: number;
}

/** Decodes the video stream to count its frames; stream and container durations as ffprobe reports them. */
function measure(file: string): Measured {
  const run = spawnSync(
    mediaBinaries().ffprobe,
    ['-v', 'error', '-count_frames', '-print_format', 'json', '-show_format', '-show_streams', file],
    { encoding: 'utf8' },
  );
  const json = JSON.parse(run.stdout) as {
    streams: Record<string, string>[];
    format: Record<string, string>;
  };
  const video = json.streams.find((s) => s.codec_type === 'video');
  const audio = json.streams.find((s) => s.codec_type === 'audio');
  return {
    frames: Number(video?.nb_read_frames),
    videoS: Number(video?.duration),
    audioS: audio ? Number(audio.duration) : undefined,
    containerS: Number(json.format.duration),
  };
}

/** One AAC packet at 48 kHz: copied audio ends at most this much before the video. */
const AAC_PACKET_S = 1024 / 48000;

/**
 * Asserts exactly `frames` frames and a container ending with the video at frames / fps. The audio
 * ends with the video: sample-exact when it was encoded ('exact'), or at most one AAC packet earlier
 * when packets were copied ('packet'), never later.
 */
function expectExact(file: string, frames: number, audio: 'exact' | 'packet' = 'exact', fps = FPS): void {
  const m = measure(file);
  const expectedS = frames / fps;
  expect(m.frames).toBe(frames);
  expect(Math.abs(m.videoS - expectedS)).toBeLessThan(0.5 / fps);
  expect(Math.abs(m.containerS - expectedS)).toBeLessThan(0.05);
  if (m.audioS === undefined) return;
  if (audio === 'exact') expect(Math.abs(m.audioS - m.videoS)).toBeLessThan(0.002);
  else {
    expect(m.audioS).toBeLessThanOrEqual(m.videoS + 0.001);
    expect(m.audioS).toBeGreaterThan(m.videoS - AAC_PACKET_S - 0.001);
  }
}

/** Differences between consecutive audio packet timestamps (samples), to show a track has no gap. */
function audioPacketSteps(file: string): Set<number> {
  const run = spawnSync(
    mediaBinaries().ffprobe,
    ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'packet=pts', '-of', 'csv=p=0', file],
    { encoding: 'utf8' },
  );
  const pts = run.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => Number.parseInt(line, 10));
  return new Set(pts.slice(1).map((t, i) => t - (pts[i] as number)));
}

/**
 * Times (s) where a beep ends (silencedetect's silence_start), the file's tail excluded. Beep ends, not
 * onsets: right after a copied AAC join the first codec window fades in, which delays a detected onset.
 */
function beepEnds(file: string): number[] {
  const run = spawnSync(
    mediaBinaries().ffmpeg,
    ['-nostdin', '-i', file, '-vn', '-af', 'silencedetect=n=-40dB:d=0.1', '-f', 'null', '-'],
    { encoding: 'utf8' },
  );
  return [...run.stderr.matchAll(/silence_start: ([\d.]+)/g)].map((match) => Number(match[1]));
}

/** A preset clip (via normalizeClip) of `durationS` whose sound is a 0.3 s beep at its very start. */
async function beepClip(name: string, durationS: number, size = FRAME): Promise<string> {
  const raw = work.path(`${name}-raw.mp4`);
  ffmpegSync([
    ...['-f', 'lavfi', '-i', `testsrc2=s=${size.width}x${size.height}:r=${size.fps}:d=${durationS}`],
    ...['-f', 'lavfi', '-i', `aevalsrc='if(lt(t,0.3),sin(2*PI*440*t),0)':s=48000:d=${durationS}`],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-ac', '2', raw],
  ]);
  const out = work.path(`${name}.mp4`);
  await normalizeClip(raw, out, size);
  return out;
}

describe('preset clips', () => {
  let image: string;
  beforeAll(() => {
    image = makeImage(work.path('still.png'), 640, 360);
  });

  it('imageToClip writes exactly round(duration × fps) frames and a silent track exactly as long', async () => {
    const out = work.path('still-6s.mp4');
    await imageToClip(image, out, { ...FRAME, durationS: 6, camera: 'static' });
    expectExact(out, 150);
    expect(measure(out).audioS).toBeCloseTo(6, 3);
    expect((await probe(out)).reorderFrames).toBe(0);
  });

  it('normalizeClip gives round(duration × fps) frames and audio exactly as long, whatever the input rate', async () => {
    // 31 frames at 30 fps = 1.0333 s → 26 frames at 25 fps = 1.04 s, and the audio must follow (not 1.0333 s).
    const raw = makeClip(work.path('odd-30fps.mp4'), { durationS: 31 / 30, fps: 30 });
    const out = work.path('odd-normalised.mp4');
    await normalizeClip(raw, out, FRAME);
    expectExact(out, 26);
  });
});

describe('concatClips stream copy of preset clips', () => {
  let six: string;
  let ten: string;
  const twos: string[] = [];
  beforeAll(async () => {
    const image = makeImage(work.path('copy-still.png'), 640, 360);
    six = work.path('six.mp4');
    ten = work.path('ten.mp4');
    await imageToClip(image, six, { ...FRAME, durationS: 6, camera: 'dolly_in' });
    await imageToClip(image, ten, { ...FRAME, durationS: 10, camera: 'static' });
    for (let i = 0; i < 12; i++) {
      const clip = work.path(`two-${i}.mp4`);
      await imageToClip(image, clip, { ...FRAME, durationS: i < 6 ? 2 : 1, camera: 'static' });
      twos.push(clip);
    }
  }, 120_000);

  it('trims a 150-frame clip to 5 s: exactly 125 frames, container within 0.05 s', async () => {
    const out = work.path('five.mp4');
    const result = await concatClips([six], out, { targetDurationS: 5 });
    expect(result.method).toBe('copy');
    expect(Math.abs(result.durationS - 5)).toBeLessThan(0.05);
    expectExact(out, 125, 'packet');
  });

  it('joins a 10 s clip and a trimmed 5 s one to exactly 15 s (375 frames)', async () => {
    const five = work.path('five-b.mp4');
    await concatClips([six], five, { targetDurationS: 5 });
    const out = work.path('fifteen.mp4');
    const result = await concatClips([ten, five], out, { targetDurationS: 15 });
    expect(result.method).toBe('copy');
    expectExact(out, 375, 'packet');
  });

  it('joins 6 clips of 2 s cut to 10.4 s: exactly 260 frames, the cut inside the sixth clip', async () => {
    const out = work.path('ten-four.mp4');
    const result = await concatClips(twos.slice(0, 6), out, { targetDurationS: 10.4 });
    expect(result.method).toBe('copy');
    expectExact(out, 260, 'packet');
  });

  it('joins 12 clips without drift and cuts at a frame boundary rounding the target', async () => {
    const out = work.path('twelve.mp4');
    const result = await concatClips(twos, out);
    expect(result.method).toBe('copy');
    expectExact(out, 6 * 50 + 6 * 25, 'packet');
    expect(audioPacketSteps(out)).toEqual(new Set([1024]));
    const cut = work.path('twelve-cut.mp4');
    // 14.13 s × 25 = 353.25 → 353 frames, cut in the 12th clip.
    expect((await concatClips(twos, cut, { targetDurationS: 14.13 })).method).toBe('copy');
    expectExact(cut, 353, 'packet');
  });

  it('leaves a total shorter than the target as it is', async () => {
    const out = work.path('short.mp4');
    await concatClips(twos.slice(0, 2), out, { targetDurationS: 9 });
    expectExact(out, 100, 'packet');
  });

  it("keeps every clip's sound under its pictures across 6 joins (no drift)", async () => {
    const beep = await beepClip('beep-2s', 2);
    const out = work.path('beeps.mp4');
    const result = await concatClips(
      Array.from({ length: 6 }, () => beep),
      out,
      { targetDurationS: 11.5 },
    );
    expect(result.method).toBe('copy');
    expectExact(out, 288, 'packet');
    const [beepEndS = 0] = beepEnds(beep);
    const ends = beepEnds(out);
    expect(ends).toHaveLength(6);
    // Copied AAC joins fall on the packet boundary nearest each video join: within half a packet
    // (10.7 ms at 48 kHz) of the clip's pictures, never adding up across joins.
    for (const [i, t] of ends.entries()) expect(Math.abs(t - (2 * i + beepEndS))).toBeLessThan(0.011);
  });

  it('rebuilds the audio exactly when a clip sounds shorter than it shows, still copying the video', async () => {
    // A preset clip whose AAC track stops 0.1 s before its 2 s of pictures: copied packets would leave gaps.
    const short = work.path('short-audio.mp4');
    ffmpegSync([
      ...['-f', 'lavfi', '-i', `testsrc2=s=${FRAME.width}x${FRAME.height}:r=${FPS}:d=2`],
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=1.9'],
      ...presetOutputArgs(FPS),
      short,
    ]);
    const out = work.path('short-audio-joined.mp4');
    const result = await concatClips([short, short, short], out, { targetDurationS: 5.5 });
    expect(result.method).toBe('copy');
    expectExact(out, 138, 'exact');
    expect(audioPacketSteps(out)).toEqual(new Set([1024]));
  });
});

describe('concatClips re-encode', () => {
  let mixed: string[];
  beforeAll(async () => {
    const image = makeImage(work.path('mixed-still.png'), 640, 360);
    const preset = work.path('mixed-preset.mp4');
    await imageToClip(image, preset, { ...FRAME, durationS: 2, camera: 'static' });
    mixed = [
      preset,
      makeClip(work.path('mixed-small.mp4'), { width: 160, height: 120, durationS: 1.5, fps: 30, audio: false }),
      makeClip(work.path('mixed-24.mp4'), { width: 320, height: 180, durationS: 2.2, fps: 24 }),
    ];
  }, 60_000);

  it('gives round(duration × 25) frames per clip and audio exactly as long without a target', async () => {
    const out = work.path('mixed-all.mp4');
    const result = await concatClips(mixed, out);
    expect(result.method).toBe('reencode');
    // 2 s → 50, 1.5 s → 38 (37.5 rounded), 2.2 s → 55.
    expectExact(out, 50 + 38 + 55);
  });

  it('cuts to exactly round(target × fps) frames with the container within 0.05 s', async () => {
    const out = work.path('mixed-cut.mp4');
    const result = await concatClips(mixed, out, { targetDurationS: 5.2 });
    expect(result.method).toBe('reencode');
    expect(Math.abs(result.durationS - 5.2)).toBeLessThan(0.05);
    expectExact(out, 130);
  });

  it("keeps every clip's sound under its pictures (no drift)", async () => {
    const beeps = [await beepClip('beep-a', 2), await beepClip('beep-b', 1.5, { width: 160, height: 90, fps: 30 })];
    const order = [0, 1, 0, 1, 0];
    const out = work.path('beeps-reencode.mp4');
    expect(
      (
        await concatClips(
          order.map((k) => beeps[k] as string),
          out,
        )
      ).method,
    ).toBe('reencode');
    // 2 s → 50 frames, 1.5 s at 30 fps → 38 frames (1.52 s) at 25 fps; each sound padded to its pictures.
    expectExact(out, 50 * 3 + 38 * 2);
    const starts = [0, 2, 3.52, 5.52, 7.04];
    const ownEnds = beeps.map((beep) => beepEnds(beep)[0] ?? 0);
    const ends = beepEnds(out);
    expect(ends).toHaveLength(order.length);
    for (const [i, t] of ends.entries()) {
      const expected = (starts[i] as number) + (ownEnds[order[i] as number] as number);
      expect(Math.abs(t - expected)).toBeLessThan(0.003);
    }
  });
});

describe('concatClips with B-frames', () => {
  const bframes: string[] = [];
  beforeAll(() => {
    for (const [i, durationS] of [3, 2.4].entries()) {
      const out = work.path(`bf-${i}.mp4`);
      ffmpegSync([
        ...['-f', 'lavfi', '-i', `testsrc2=s=160x90:r=25:d=${durationS}`],
        ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${durationS}`],
        ...['-c:v', 'libx264', '-preset', 'veryfast', '-bf', '3', '-g', '50', '-c:a', 'aac', '-ac', '2', out],
      ]);
      bframes.push(out);
    }
  });

  it('is never stream-copied together with clips without B-frames', async () => {
    const plain = makeClip(work.path('bf-plain.mp4'), { durationS: 1 });
    const infos = [await probe(bframes[0] as string), await probe(plain)];
    expect(infos[0]?.reorderFrames).toBeGreaterThan(0);
    expect(canStreamCopy(infos)).toBe(false);
  });

  it('stream-copies and cuts on a complete frame within two frames of the target, audio ending with it', async () => {
    const out = work.path('bf-cut.mp4');
    const result = await concatClips(bframes, out, { targetDurationS: 4.3 });
    expect(result.method).toBe('copy');
    const m = measure(out);
    expect(Math.abs(m.frames - 4.3 * FPS)).toBeLessThanOrEqual(2);
    expect(Math.abs(m.videoS - m.frames / FPS)).toBeLessThan(0.02);
    expect(Math.abs(m.containerS - m.videoS)).toBeLessThan(0.05);
    expect(m.audioS).toBeLessThanOrEqual(m.videoS + 0.001);
    expect(m.audioS).toBeGreaterThan(m.videoS - AAC_PACKET_S - 0.001);
  });
});

describe('copyCutPoint', () => {
  const frame = 0.04;
  const packet = (display: number, decode: number): VideoPacket => ({
    ptsS: display * frame,
    dtsS: (decode - 2) * frame,
    durationS: frame,
  });
  // Decode order of I P B B P B B … (display indexes), as an encoder with 2 B-frames writes it.
  const bStream = [0, 3, 1, 2, 6, 4, 5, 9, 7, 8].map((display, decode) => packet(display, decode));

  it('keeps exactly the frames before the cut when frames are in display order', () => {
    const plain = Array.from({ length: 10 }, (_, i) => ({ ptsS: i * frame, dtsS: i * frame, durationS: frame }));
    const cut = copyCutPoint(plain, 5.5 * frame);
    expect(cut.frames).toBe(6);
    expect(cut.outpointS).toBeCloseTo(5.5 * frame, 9);
    expect(cut.endS).toBeCloseTo(6 * frame, 9);
  });

  it('with B-frames keeps a decode-order prefix whose frames are consecutive, closest to the cut', () => {
    // 5 frames wanted (0–4); prefixes of 4 (0–3) and 7 (0–6) are complete: 4 is closer.
    const cut = copyCutPoint(bStream, 4.5 * frame);
    expect(cut.frames).toBe(4);
    expect(cut.endS).toBeCloseTo(4 * frame, 9);
    expect(cut.outpointS).toBeCloseTo(((3 - 2) * frame + (4 - 2) * frame) / 2, 9);
  });

  it('keeps every packet when the cut is past the last frame', () => {
    const cut = copyCutPoint(bStream, 20 * frame);
    expect(cut).toMatchObject({ frames: 10, outpointS: undefined });
    expect(cut.endS).toBeCloseTo(10 * frame, 9);
  });
});

describe('mixMusic', () => {
  it('lasts as long as the video stream even with longer music', async () => {
    const image = makeImage(work.path('mix-still.png'), 640, 360);
    const video = work.path('mix-video.mp4');
    await imageToClip(image, video, { ...FRAME, durationS: 4.2, camera: 'static' });
    const music = makeTone(work.path('mix-music.m4a'), 12, 0.5, 330);
    const out = work.path('mixed.mp4');
    await mixMusic(video, music, out);
    const before = measure(video);
    const after = measure(out);
    expect(after.frames).toBe(105);
    expect(Math.abs(after.containerS - before.videoS)).toBeLessThan(0.05);
    expect(Math.abs(after.containerS - before.containerS)).toBeLessThan(0.05);
    expect(Math.abs((after.audioS ?? 0) - before.videoS)).toBeLessThan(0.002);
  });

  it('ends a take joined from preset clips at the take’s length', async () => {
    const image = makeImage(work.path('take-still.png'), 640, 360);
    const a = work.path('take-a.mp4');
    const b = work.path('take-b.mp4');
    await imageToClip(image, a, { ...FRAME, durationS: 3, camera: 'static' });
    await imageToClip(image, b, { ...FRAME, durationS: 3, camera: 'static' });
    const take = work.path('take.mp4');
    await concatClips([a, b], take, { targetDurationS: 5.5 });
    const out = work.path('take-scored.mp4');
    await mixMusic(take, makeTone(work.path('take-music.m4a'), 20, 0.5), out);
    // 5.5 s × 25 = 137.5 → 138 frames.
    expectExact(out, 138);
  });
});
