import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { ffmpegSync } from '../media/fixtures.js';

/** Marker text planted in metadata; a stripped file must not contain it. */
export const MARKER = 'GPS-48.8584N-2.2945E-SECRET';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A real image of `width`×`height` encoded by ffmpeg (`ext` png, jpg or webp). */
export function makeImage(path: string, width: number, height: number): Buffer {
  ffmpegSync(['-f', 'lavfi', '-i', `testsrc2=s=${width}x${height}`, '-frames:v', '1', '-update', '1', path]);
  return readFileSync(path);
}

/** One PNG chunk with its length and CRC. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** `png` with tEXt, iTXt and eXIf chunks holding `MARKER`, inserted right after IHDR. */
export function withPngMetadata(png: Buffer): Buffer {
  const afterIhdr = 8 + 8 + 13 + 4;
  const text = pngChunk('tEXt', Buffer.from(`Comment\0${MARKER}`, 'latin1'));
  const itxt = pngChunk('iTXt', Buffer.from(`XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta>${MARKER}</x:xmpmeta>`, 'utf8'));
  const exif = pngChunk('eXIf', tiffWithDescription(MARKER));
  return Buffer.concat([png.subarray(0, afterIhdr), text, itxt, exif, png.subarray(afterIhdr)]);
}

/** A PNG that is only a header claiming `width`×`height` (no pixel data). */
export function pngHeaderOnly(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IEND', Buffer.alloc(0))]);
}

/** `jpeg` with EXIF (ImageDescription), XMP and COM segments holding `MARKER`, right after SOI. */
export function withJpegMetadata(jpeg: Buffer): Buffer {
  const exif = jpegSegment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiffWithDescription(MARKER)]));
  const xmp = jpegSegment(
    0xe1,
    Buffer.from(`http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><dc:description>${MARKER}</dc:description></x:xmpmeta>`),
  );
  const comment = jpegSegment(0xfe, Buffer.from(MARKER));
  return Buffer.concat([jpeg.subarray(0, 2), exif, xmp, comment, jpeg.subarray(2)]);
}

/** A simple (VP8 or VP8L) `webp` turned into an extended one with EXIF and XMP chunks holding `MARKER`. */
export function withWebpMetadata(webp: Buffer, width: number, height: number): Buffer {
  const image = webp.subarray(12);
  const vp8x = Buffer.alloc(10);
  vp8x.writeUInt8(0x08 | 0x04, 0);
  vp8x.writeUIntLE(width - 1, 4, 3);
  vp8x.writeUIntLE(height - 1, 7, 3);
  const body = Buffer.concat([
    Buffer.from('WEBP', 'latin1'),
    riffChunk('VP8X', vp8x),
    image,
    riffChunk('EXIF', tiffWithDescription(MARKER)),
    riffChunk('XMP ', Buffer.from(`<x:xmpmeta>${MARKER}</x:xmpmeta>`)),
  ]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

function riffChunk(fourcc: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(fourcc, 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

function jpegSegment(marker: number, data: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(data.length + 2, 2);
  return Buffer.concat([head, data]);
}

/** A big-endian TIFF block with one IFD entry: ImageDescription = `text`. */
function tiffWithDescription(text: string): Buffer {
  const value = Buffer.from(`${text}\0`, 'latin1');
  const ifd = Buffer.alloc(2 + 12 + 4);
  ifd.writeUInt16BE(1, 0);
  ifd.writeUInt16BE(0x010e, 2);
  ifd.writeUInt16BE(2, 4);
  ifd.writeUInt32BE(value.length, 6);
  ifd.writeUInt32BE(8 + ifd.length, 10);
  return Buffer.concat([Buffer.from('MM\0*\0\0\0\x08', 'latin1'), ifd, value]);
}

/** `jpeg` with an EXIF block whose Orientation tag is `orientation` (6: viewers rotate it 90° clockwise). */
export function withJpegOrientation(jpeg: Buffer, orientation: number): Buffer {
  const ifd = Buffer.alloc(2 + 12 + 4);
  ifd.writeUInt16BE(1, 0);
  ifd.writeUInt16BE(0x0112, 2);
  ifd.writeUInt16BE(3, 4);
  ifd.writeUInt32BE(1, 6);
  ifd.writeUInt16BE(orientation, 10);
  const tiff = Buffer.concat([Buffer.from('MM\0*\0\0\0\x08', 'latin1'), ifd]);
  const exif = jpegSegment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]));
  return Buffer.concat([jpeg.subarray(0, 2), exif, jpeg.subarray(2)]);
}

/** The RGB of pixel (`x`, `y`) of an image file, decoded by ffmpeg. */
export function rgbAt(path: string, width: number, x: number, y: number): [number, number, number] {
  const raw = ffmpegSync(['-i', path, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
  const at = (y * width + x) * 3;
  return [raw[at] ?? -1, raw[at + 1] ?? -1, raw[at + 2] ?? -1];
}
