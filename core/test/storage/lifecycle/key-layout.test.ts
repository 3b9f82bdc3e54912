import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assetKey,
  chunkKey,
  chunkLastFrameKey,
  contactSheetKey,
  finalKey,
  musicKey,
  predictionOutputKey,
  sceneVersionKey,
  storyboardKey,
  takeKey,
} from '../../../src/storage/keys.js';
import { classifyKey, isIntermediateKey } from '../../../src/storage/lifecycle/key-layout.js';
import { categoryOf } from '../../../src/storage/lifecycle/usage.js';

const USER = '0f8fad5b-d9cb-469f-a165-70867728950e';
const VIDEO = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const OTHER = '16fd2706-8baf-433b-82eb-8c7fada847da';

describe('the storage key layout read back from keys', () => {
  it('reads scene, version and chunk back from every chunk and last-frame key the builders make', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.uuid(),
        fc.nat(150),
        fc.integer({ min: 1, max: 500 }),
        fc.nat(150),
        (user, video, scene, version, chunk) => {
          const ids = { userId: user.toLowerCase(), videoId: video.toLowerCase() };
          expect(classifyKey(chunkKey(user, video, scene, version, chunk))).toEqual({
            kind: 'chunk',
            ...ids,
            scene,
            version,
            chunk,
          });
          expect(classifyKey(chunkLastFrameKey(user, video, scene, version, chunk))).toEqual({
            kind: 'chunk_last_frame',
            ...ids,
            scene,
            version,
            chunk,
          });
          expect(classifyKey(sceneVersionKey(user, video, scene, version))).toEqual({
            kind: 'scene_version',
            ...ids,
            scene,
            version,
          });
        },
      ),
    );
  });

  it('names every other kind of object and marks only chunks, last frames and provider-output copies intermediate', () => {
    const cases: Array<[string, string, boolean]> = [
      [chunkKey(USER, VIDEO, 2, 1, 0), 'chunk', true],
      [chunkLastFrameKey(USER, VIDEO, 2, 1, 0), 'chunk_last_frame', true],
      [predictionOutputKey(USER, VIDEO, OTHER, 0, 'mp4'), 'prediction_output', true],
      [sceneVersionKey(USER, VIDEO, 2, 3), 'scene_version', false],
      [storyboardKey(USER, VIDEO, 4), 'storyboard', false],
      [takeKey(USER, VIDEO, 3), 'take', false],
      [finalKey(USER, VIDEO), 'final', false],
      [musicKey(USER, VIDEO), 'music', false],
      [contactSheetKey(USER, VIDEO), 'contact_sheet', false],
      [assetKey(USER, OTHER, 'scene_00_v1_chunk_00.mp4'), 'asset', false],
      [`${USER}/videos/${VIDEO}/notes.txt`, 'unknown', false],
      [`${USER}/videos/${VIDEO}/scene_02_v1_chunk_00.mp4.bak`, 'unknown', false],
      [`${USER}/elsewhere/${VIDEO}/scene_02_v1_chunk_00.mp4`, 'unknown', false],
      [`someone/videos/${VIDEO}/final.mp4`, 'unknown', false],
    ];
    for (const [key, kind, intermediate] of cases) {
      expect(classifyKey(key).kind, key).toBe(kind);
      expect(isIntermediateKey(key), key).toBe(intermediate);
    }
  });

  it('puts a scene clip in current or earlier clips by whether it is the current version', () => {
    const current = new Set([sceneVersionKey(USER, VIDEO, 0, 2)]);
    expect(categoryOf(sceneVersionKey(USER, VIDEO, 0, 2), current)).toBe('current_clip');
    expect(categoryOf(sceneVersionKey(USER, VIDEO, 0, 1), current)).toBe('earlier_clip');
    expect(categoryOf(takeKey(USER, VIDEO, 1), current)).toBe('final');
    expect(categoryOf(chunkKey(USER, VIDEO, 0, 2, 0), current)).toBe('intermediate');
    expect(categoryOf(contactSheetKey(USER, VIDEO), current)).toBe('storyboard');
  });
});
