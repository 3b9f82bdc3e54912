import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAsset } from '../../src/db/assets.js';
import { upsertUser } from '../../src/db/users.js';
import { ProviderError, UserError } from '../../src/errors.js';
import { probe } from '../../src/media/probe.js';
import { createAnimaticProviders } from '../../src/providers/animatic/index.js';
import type { Providers } from '../../src/providers/types.js';
import type { Owner, VideoView } from '../../src/service/types.js';
import { assetKey } from '../../src/storage/keys.js';
import { createTestStack, RUNNERS, type TestStack } from '../helpers/pipeline.js';
import { pixelAt, pixels } from '../providers/animatic/fixtures.js';

const owner: Owner = { platform: 'slack', platformUserId: 'U-rules' };
const pathOf = (link: VideoView['final']) => (link && 'path' in link ? link.path : '');

/** The animatic, with chosen calls failing (decided by the step key): the pipeline's reaction is what is tested. */
function failingProviders(rules: { failClip?: (stepKey: string) => Error | undefined; failMusic?: Error }): Providers {
  const inner = createAnimaticProviders();
  return {
    ...inner,
    video: {
      name: 'animatic',
      async generateClip(req, ctx) {
        const error = rules.failClip?.(ctx.stepKey);
        if (error) throw error;
        return inner.video.generateClip(req, ctx);
      },
    },
    music: {
      name: 'animatic',
      async generateMusic(req, ctx) {
        if (rules.failMusic) throw rules.failMusic;
        return inner.music.generateMusic(req, ctx);
      },
    },
  };
}

const unreachable = new ProviderError(
  'replicate',
  'Replicate could not create a prediction of test/tiny-video: no answer (fetch failed: connect ECONNREFUSED 127.0.0.1:1)',
  { retryable: false },
);

describe.each(RUNNERS)('finish rules over stored step outcomes ($runner runner)', ({ runner }) => {
  let stack: TestStack;
  let failRegenerations = false;
  beforeAll(async () => {
    stack = await createTestStack({
      runner,
      providers: failingProviders({
        failClip: (stepKey) => {
          if (stepKey.includes('.chunk.1.1.'))
            return new UserError('content_rejected', 'The model refused the content');
          if (failRegenerations && /\.chunk\.\d+\.2\./.test(stepKey)) return unreachable;
          return undefined;
        },
        failMusic: new ProviderError(
          'replicate',
          'Replicate could not create a prediction of meta/musicgen: HTTP 500',
          {
            retryable: false,
          },
        ),
      }),
    });
  });
  afterAll(() => stack?.close());

  let view: VideoView;

  it('delivers the video without the scene that failed for good, flagged with its reason', async () => {
    const created = await stack.service.create(owner, {
      prompt: 'a violin in a workshop',
      durationS: 10,
      model: 'tiny',
    });
    await stack.service.settled(created.videoId);
    view = await stack.service.get(owner, created.videoId);
    expect(view.status).toBe('ready');
    expect(view.scenes.map((scene) => scene.status)).toEqual(['ready', 'failed']);
    expect(view.scenes[1]?.message).toBe('The model refused the content');
    expect(view.scenes[1]?.versions).toEqual([
      expect.objectContaining({ version: 1, status: 'failed', error: 'The model refused the content' }),
    ]);
    expect(view.message).toMatch(/Scene 2 failed and was left out; regenerate it to fill the gap\./);
    expect((await probe(pathOf(view.final))).durationS).toBeCloseTo(view.scenes[0]?.durationS ?? 0, 1);
  });

  it('says the music failed and delivers without it', () => {
    expect(view.message).toMatch(
      /Music could not be generated \(Replicate could not create a prediction of meta\/musicgen: HTTP 500\); delivered without music\./,
    );
  });

  it('keeps the previous take when a regenerated version fails, naming the real cause', async () => {
    failRegenerations = true;
    await stack.service.regenerateScene(owner, view.videoId, 1, { prompt: 'the violin under a lamp' });
    await stack.service.settled(view.videoId);
    const after = await stack.service.get(owner, view.videoId);
    expect(after.status).toBe('ready');
    expect(after.take?.number).toBe(view.take?.number);
    expect(after.message).toBe(
      `Scene 1 could not be regenerated (${unreachable.message}); the video keeps its previous take.`,
    );
    expect(after.work).toMatchObject({ kind: 'regenerate', status: 'failed', error: { message: unreachable.message } });
    expect(after.scenes[0]?.versions.map((version) => [version.version, version.status])).toEqual([
      [1, 'succeeded'],
      [2, 'failed'],
    ]);
    expect(after.scenes[0]?.currentVersion).toBe(1);
  });
});

describe.each(RUNNERS)('a picked character reference ($runner runner)', ({ runner }) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack({ runner });
  });
  afterAll(() => stack?.close());

  /** A solid-colour PNG stored as one of the owner's assets of `kind`. */
  async function colourAsset(kind: 'image' | 'character_reference', colour: string) {
    const file = join(stack.dataDir, `${colour}.png`);
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `color=c=${colour}:s=640x360`,
      '-frames:v',
      '1',
      file,
    ]);
    const bytes = await readFile(file);
    const user = await upsertUser(stack.database.db, {
      platform: owner.platform,
      platformUserId: owner.platformUserId,
    });
    const id = randomUUID();
    const key = assetKey(user.id, id, `${colour}.png`);
    await stack.storage.put(key, { buffer: bytes }, { contentType: 'image/png' });
    await insertAsset(stack.database.db, {
      id,
      user_id: user.id,
      kind,
      filename: `${colour}.png`,
      mime_type: 'image/png',
      size_bytes: bytes.byteLength,
      width: 640,
      height: 360,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      storage_key: key,
    });
    return id;
  }

  const corner = (view: VideoView, scene: number) => {
    const link = view.scenes[scene]?.storyboard ?? null;
    return pixelAt(pixels(link && 'path' in link ? link.path : ''), 320, 8, 90);
  };
  const isRed = ([r, g, b]: number[]) => (r ?? 0) > 100 && (g ?? 0) < 60 && (b ?? 0) < 60;
  const isBlue = ([r, g, b]: number[]) => (b ?? 0) > 100 && (r ?? 0) < 60 && (g ?? 0) < 60;

  it('conditions every storyboard frame, and the user\u2019s own reference image stays scene 1\u2019s', async () => {
    const character = await colourAsset('character_reference', '0xd02020');
    const onlyCharacter = await stack.service.create(owner, {
      prompt: 'a sailor on a pier',
      durationS: 10,
      model: 'tiny',
      characterReferenceAssetId: character,
    });
    await stack.service.settled(onlyCharacter.videoId);
    const first = await stack.service.get(owner, onlyCharacter.videoId);
    expect(first.scenes.length).toBeGreaterThan(1);
    for (let i = 0; i < first.scenes.length; i++) expect(isRed(corner(first, i)), `scene ${i + 1}`).toBe(true);

    const reference = await colourAsset('image', '0x2020d0');
    const both = await stack.service.create(owner, {
      prompt: 'a sailor on a pier',
      durationS: 10,
      model: 'tiny',
      imageAssetId: reference,
      characterReferenceAssetId: character,
    });
    await stack.service.settled(both.videoId);
    const second = await stack.service.get(owner, both.videoId);
    expect(isBlue(corner(second, 0))).toBe(true);
    for (let i = 1; i < second.scenes.length; i++) expect(isRed(corner(second, i)), `scene ${i + 1}`).toBe(true);
  });
});
