import { UserError } from '@reelsmith/core';
import { describe, expect, it } from 'vitest';
import { toAssetSource } from '../src/inputs/media-input.js';

describe('toAssetSource', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  it('passes an https URL on for the core to check and download', () => {
    expect(toAssetSource({ url: ' https://example.com/a.png ' }, 'image')).toEqual({
      url: 'https://example.com/a.png',
    });
  });

  it('decodes base64 (also as a data: URL) into bytes with a file name of the right type', () => {
    expect(toAssetSource({ data: png.toString('base64'), mime_type: 'image/png' }, 'image')).toEqual({
      bytes: new Uint8Array(png),
      filename: 'image.png',
    });
    const fromDataUrl = toAssetSource({ data: `data:audio/mpeg;base64,${png.toString('base64')}` }, 'audio');
    expect(fromDataUrl).toMatchObject({ filename: 'audio.mp3' });
  });

  it.each([
    [{}, 'missing_media'],
    [{ url: 'https://a.example/x.png', data: 'AAAA', mime_type: 'image/png' }, 'ambiguous_media'],
    [{ data: 'AAAA', mime_type: 'image/gif' }, 'unsupported_media_type'],
    [{ data: 'AAAA', mime_type: 'audio/mpeg' }, 'unsupported_media_type'],
    [{ data: 'AAA', mime_type: 'image/png' }, 'invalid_base64'],
    [{ data: 'AA-_', mime_type: 'image/png' }, 'invalid_base64'],
  ])('refuses %j with %s', (input, code) => {
    expect(() => toAssetSource(input, 'image')).toThrow(UserError);
    try {
      toAssetSource(input, 'image');
    } catch (error) {
      expect((error as UserError).code).toBe(code);
    }
  });
});
