import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VideoEvent } from '../../src/events/types.js';
import { probe } from '../../src/media/probe.js';
import { createAnimaticProviders } from '../../src/providers/animatic/index.js';
import type { Owner, VideoView } from '../../src/service/types.js';
import { createTestStack, RUNNERS, type TestStack } from '../helpers/pipeline.js';
import { meanAbsDiff, thumbnail } from '../providers/animatic/fixtures.js';
import { type ClipCall, recordingProviders } from './recording-provider.js';

const owner: Owner = { platform: 'cli', platformUserId: 'pipeline-test' };
const pathOf = (link: VideoView['final']) => (link && 'path' in link ? link.path : '');

describe.each(RUNNERS)('a 15 s ad on the animatic, end to end ($runner runner)', ({ runner }) => {
  let stack: TestStack;
  let clipCalls: ClipCall[];
  let view: VideoView;
  let events: VideoEvent[];

  beforeAll(async () => {
    const recorder = recordingProviders(createAnimaticProviders());
    clipCalls = recorder.clipCalls;
    stack = await createTestStack({ providers: recorder.providers, runner });
    const created = await stack.service.create(owner, {
      prompt: 'A luxury gold wristwatch on black velvet, elegant product ad',
      durationS: 15,
      model: 'tiny',
    });
    expect(['queued', 'planning']).toContain(created.status);
    events = [];
    const following = (async () => {
      for await (const event of stack.service.events(created.videoId)) events.push(event);
    })();
    await stack.service.settled(created.videoId);
    await following;
    view = await stack.service.get(owner, created.videoId);
  });
  afterAll(() => stack?.close());

  it('ends ready with a final video of the planned length, H.264 + AAC at the model frame size', async () => {
    expect(view.status).toBe('ready');
    expect(view.provider).toBe('animatic');
    expect(view.preview).toBe(true);
    const info = await probe(pathOf(view.final));
    expect(Math.abs(info.durationS - 15)).toBeLessThanOrEqual(0.1);
    expect(info).toMatchObject({
      width: 320,
      height: 180,
      videoCodec: 'h264',
      audioCodec: 'aac',
      hasAudio: true,
      pixelFormat: 'yuv420p',
    });
  });

  it('writes the final file with its index first (+faststart) so players can start at once', async () => {
    const bytes = await readFile(pathOf(view.final));
    expect(bytes.indexOf('moov')).toBeGreaterThan(0);
    expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat'));
  });

  it('reports progress as events whose percent never goes back, ending with video_ready', () => {
    expect(events.length).toBeGreaterThan(3);
    const percents = events.map((event) => event.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(events.at(-1)).toMatchObject({ kind: 'video_ready', percent: 100, stage: 'ready' });
    const kinds = new Set(events.map((event) => event.kind));
    expect(kinds).toContain('storyboard_ready');
    expect(kinds).toContain('scene_ready');
    const stages = events.map((event) => event.stage);
    const order = ['storyboarding', 'generating', 'stitching', 'scoring', 'ready'];
    for (const stage of order) expect(stages).toContain(stage);
    const firstSeen = order.map((stage) => stages.indexOf(stage as VideoEvent['stage']));
    expect(firstSeen).toEqual([...firstSeen].sort((a, b) => a - b));
  });

  it('plans scenes that sum to the duration and gives each a first version', () => {
    expect(view.scenes.reduce((sum, scene) => sum + scene.durationS, 0)).toBe(15);
    for (const scene of view.scenes) {
      expect(scene.currentVersion).toBe(1);
      expect(scene.status).toBe('ready');
      expect(pathOf(scene.clip)).toMatch(/scene_\d\d_v1\.mp4$/);
    }
    expect(pathOf(view.contactSheet)).toMatch(/contact_sheet\.png$/);
  });

  it("starts every chunk from its scene's storyboard frame or the previous chunk's last frame, never another scene's", () => {
    const chunkCalls = clipCalls.filter((call) => call.stepKey.includes('.chunk.'));
    const expectedChunks = view.scenes.reduce((sum, scene) => sum + Math.ceil(scene.durationS / 2.5 - 1e-9), 0);
    expect(chunkCalls).toHaveLength(expectedChunks);
    for (const call of chunkCalls) {
      const [, , scene, version, chunk] = call.stepKey.split('.').map(Number) as number[];
      const s = String(scene).padStart(2, '0');
      const expected =
        chunk === 0
          ? `storyboard_${s}.png`
          : `scene_${s}_v${version}_chunk_${String((chunk ?? 0) - 1).padStart(2, '0')}_last_frame.png`;
      expect(call.firstFrameKey?.endsWith(`/videos/${view.videoId}/${expected}`), call.stepKey).toBe(true);
    }
  });

  it('begins each later chunk on the exact picture that ended the chunk before it', async () => {
    const { storage } = stack;
    const keys = await storage.list(await firstPrefix(stack, view.videoId));
    const lastFrames = keys.filter((key) => key.endsWith('_last_frame.png'));
    let compared = 0;
    for (const frameKey of lastFrames) {
      const nextKey = frameKey.replace(
        /chunk_(\d\d)_last_frame\.png$/,
        (_m, k: string) => `chunk_${String(Number(k) + 1).padStart(2, '0')}.mp4`,
      );
      if (!keys.includes(nextKey)) continue;
      const root = `${stack.dataDir}/storage/`;
      const diff = meanAbsDiff(thumbnail(`${root}${frameKey}`, 32, 18), thumbnail(`${root}${nextKey}`, 32, 18, 0));
      expect(diff, nextKey).toBeLessThan(6);
      compared += 1;
    }
    expect(compared).toBeGreaterThan(0);
  });

  it('records a zero-cost ledger row per generation with what the model would have cost', async () => {
    const rows = await stack.database.db
      .selectFrom('ledger')
      .selectAll()
      .where('video_id', '=', view.videoId)
      .execute();
    const videoRows = rows.filter((row) => row.kind === 'video');
    expect(videoRows.length).toBe(clipCalls.length);
    expect(rows.filter((row) => row.kind === 'image')).toHaveLength(view.scenes.length);
    expect(rows.filter((row) => row.kind === 'music')).toHaveLength(1);
    for (const row of rows) {
      expect(row.provider).toBe('animatic');
      expect(row.actual_usd).toBe(0);
    }
    expect(videoRows.every((row) => (row.would_cost_usd ?? 0) > 0)).toBe(true);
    expect(view.cost.actualUsd).toBe(0);
    expect(view.cost.estimatedUsd).toBeGreaterThan(0);
  });

  it('moved through every stage and persisted it', async () => {
    const row = await stack.database.db
      .selectFrom('videos')
      .selectAll()
      .where('id', '=', view.videoId)
      .executeTakeFirstOrThrow();
    expect(row.progress).toBe(100);
    expect(row.finished_at).not.toBeNull();
    expect(row.current_take_id).not.toBeNull();
  });
});

async function firstPrefix(stack: TestStack, videoId: string): Promise<string> {
  const row = await stack.database.db
    .selectFrom('videos')
    .select('user_id')
    .where('id', '=', videoId)
    .executeTakeFirstOrThrow();
  return `${row.user_id}/videos/${videoId}/`;
}
