import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import {
  assertValidKey,
  assertValidPrefix,
  assetKey,
  chunkKey,
  chunkLastFrameKey,
  contactSheetKey,
  finalKey,
  musicKey,
  sceneVersionKey,
  storyboardKey,
  takeKey,
  videoPrefix,
} from '../../src/storage/keys.js';

const USER = '0f8fad5b-d9cb-469f-a165-70867728950e';
const VIDEO = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const ASSET = '16fd2706-8baf-433b-82eb-8c7fada847da';
const BASE = `${USER}/videos/${VIDEO}/`;

function invalidKeyError(run: () => unknown): UserError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(UserError);
  expect((caught as UserError).code).toBe('invalid_storage_key');
  return caught as UserError;
}

describe('storage key helpers', () => {
  it('build the exact DESIGN.md §6 layout', () => {
    expect(videoPrefix(USER, VIDEO)).toBe(BASE);
    expect(storyboardKey(USER, VIDEO, 0)).toBe(`${BASE}storyboard_00.png`);
    expect(chunkKey(USER, VIDEO, 2, 1, 0)).toBe(`${BASE}scene_02_v1_chunk_00.mp4`);
    expect(chunkLastFrameKey(USER, VIDEO, 2, 1, 0)).toBe(`${BASE}scene_02_v1_chunk_00_last_frame.png`);
    expect(sceneVersionKey(USER, VIDEO, 2, 2)).toBe(`${BASE}scene_02_v2.mp4`);
    expect(takeKey(USER, VIDEO, 3)).toBe(`${BASE}take_03.mp4`);
    expect(musicKey(USER, VIDEO)).toBe(`${BASE}background.mp3`);
    expect(finalKey(USER, VIDEO)).toBe(`${BASE}final.mp4`);
    expect(contactSheetKey(USER, VIDEO)).toBe(`${BASE}contact_sheet.png`);
    expect(assetKey(USER, ASSET, 'hero shot.png')).toBe(`${USER}/assets/${ASSET}/hero shot.png`);
  });

  it('pad indexes and takes to two digits, keep every digit from 100 up, and leave versions unpadded', () => {
    expect(storyboardKey(USER, VIDEO, 7)).toBe(`${BASE}storyboard_07.png`);
    expect(storyboardKey(USER, VIDEO, 42)).toBe(`${BASE}storyboard_42.png`);
    expect(storyboardKey(USER, VIDEO, 123)).toBe(`${BASE}storyboard_123.png`);
    expect(chunkKey(USER, VIDEO, 10, 12, 105)).toBe(`${BASE}scene_10_v12_chunk_105.mp4`);
    expect(sceneVersionKey(USER, VIDEO, 0, 100)).toBe(`${BASE}scene_00_v100.mp4`);
    expect(sceneVersionKey(USER, VIDEO, 3, 7)).toBe(`${BASE}scene_03_v7.mp4`);
    expect(takeKey(USER, VIDEO, 1)).toBe(`${BASE}take_01.mp4`);
  });

  it('accept UUIDs of any version in either case and emit them lowercase', () => {
    const upperUser = USER.toUpperCase();
    const nilLike = '00000000-0000-0000-0000-000000000000';
    const v7 = '01890a5d-ac96-774b-bcce-b302099a8057';
    expect(finalKey(upperUser, VIDEO)).toBe(`${BASE}final.mp4`);
    expect(assetKey(upperUser, ASSET.toUpperCase(), 'a.png')).toBe(`${USER}/assets/${ASSET}/a.png`);
    expect(finalKey(nilLike, v7)).toBe(`${nilLike}/videos/${v7}/final.mp4`);
  });

  it.each([
    ['not a uuid', 'abc'],
    ['empty', ''],
    ['missing dashes', '0f8fad5bd9cb469fa16570867728950e'],
    ['braced', `{${USER}}`],
    ['trailing path', `${USER}/..`],
    ['non-hex', 'zf8fad5b-d9cb-469f-a165-70867728950e'],
  ])('refuse a userId that is %s', (_label, bad) => {
    const error = invalidKeyError(() => finalKey(bad, VIDEO));
    expect(error.message).toContain('userId');
    expect(error.message).toContain(JSON.stringify(bad));
  });

  it('name the id that is wrong', () => {
    expect(invalidKeyError(() => takeKey(USER, 'nope', 1)).message).toContain('videoId');
    expect(invalidKeyError(() => assetKey(USER, 'nope', 'a.png')).message).toContain('assetId');
  });

  it.each([
    ['negative', -1],
    ['fractional', 1.5],
    ['NaN', Number.NaN],
    ['infinite', Number.POSITIVE_INFINITY],
    ['unsafe', 2 ** 53],
  ])('refuse an index that is %s', (_label, bad) => {
    expect(invalidKeyError(() => storyboardKey(USER, VIDEO, bad)).message).toContain('index');
    expect(invalidKeyError(() => chunkKey(USER, VIDEO, bad, 1, 0)).message).toContain('scene');
    expect(invalidKeyError(() => chunkKey(USER, VIDEO, 0, 1, bad)).message).toContain('chunk');
  });

  it('refuse versions and takes below 1', () => {
    expect(invalidKeyError(() => sceneVersionKey(USER, VIDEO, 0, 0)).message).toContain('version');
    expect(invalidKeyError(() => chunkLastFrameKey(USER, VIDEO, 0, 0, 0)).message).toContain('version');
    expect(invalidKeyError(() => sceneVersionKey(USER, VIDEO, 0, 2.5)).message).toContain('version');
    expect(invalidKeyError(() => takeKey(USER, VIDEO, 0)).message).toContain('take');
  });

  it.each([
    ['empty', ''],
    ['a path', 'dir/a.png'],
    ['a backslash path', 'dir\\a.png'],
    ['dot-dot', '..'],
    ['containing dot-dot', 'a..png'],
    ['hidden', '.env'],
    ['NUL', 'a\u0000.png'],
    ['a newline', 'a\n.png'],
    ['over 200 bytes', `${'a'.repeat(197)}.png`],
    ['over 200 bytes in UTF-8 though under 200 characters', `${'é'.repeat(120)}.png`],
  ])('refuse a filename that is %s', (_label, bad) => {
    const error = invalidKeyError(() => assetKey(USER, ASSET, bad));
    expect(error.message).toContain('filename');
    expect(error.details).toEqual({ filename: bad });
  });

  it('accept a filename of exactly 200 bytes', () => {
    const name = `${'a'.repeat(196)}.png`;
    expect(assetKey(USER, ASSET, name)).toBe(`${USER}/assets/${ASSET}/${name}`);
  });
});

describe('assertValidKey', () => {
  it('accepts keys the helpers build and other relative paths', () => {
    for (const key of [chunkKey(USER, VIDEO, 1, 1, 1), 'a', 'a/b.c/d', 'a/.hidden', 'a/..b', 'ü/ñ name.png']) {
      expect(() => assertValidKey(key)).not.toThrow();
    }
  });

  it.each([
    ['', 'empty'],
    ['/abs', 'absolute'],
    ['../x', '".."'],
    ['a/../b', '".."'],
    ['a/./b', '"."'],
    ['.', '"."'],
    ['a//b', 'empty segment'],
    ['a/', 'empty segment'],
    ['a\\b', 'backslash'],
    ['a\u0000b', 'NUL'],
    ['a\u001fb', 'U+001F'],
    ['a\u007fb', 'U+007F'],
    ['x'.repeat(1025), '1025 bytes'],
    ['é'.repeat(513), '1026 bytes'],
  ])('refuses %j, naming the %s part', (key, part) => {
    expect(invalidKeyError(() => assertValidKey(key)).message).toContain(part);
  });

  it('accepts a key of exactly 1024 bytes', () => {
    expect(() => assertValidKey('x'.repeat(1024))).not.toThrow();
  });
});

describe('assertValidPrefix', () => {
  it('accepts a key with or without one trailing slash', () => {
    expect(() => assertValidPrefix(videoPrefix(USER, VIDEO))).not.toThrow();
    expect(() => assertValidPrefix(`${USER}/videos`)).not.toThrow();
  });

  it.each(['', '/', 'a//', '../', 'a/./', '/abs/'])('refuses %j', (prefix) => {
    invalidKeyError(() => assertValidPrefix(prefix));
  });
});
