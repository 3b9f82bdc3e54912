import { imageSize } from 'image-size';
import { UserError } from '../errors.js';

export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
export const MAX_IMAGE_SIDE_PX = 4096;

const IMAGE_TYPES = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
} as const;

export type ImageType = keyof typeof IMAGE_TYPES;

export interface ImageFacts {
  type: ImageType;
  mimeType: string;
  width: number;
  height: number;
  /** EXIF orientation 2–8 of a JPEG that asks viewers to rotate or mirror it; absent when upright. */
  orientation?: number;
}

/** The image type from its first bytes (magic numbers), never from the file name. */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 16));
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return 'png';
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return undefined;
}

/**
 * Accepts PNG, JPEG or WebP up to 10 MiB and 4096×4096 px; the size is read from the header,
 * before anything decodes the pixels. @throws UserError with a message naming `filename`.
 */
export function validateImage(bytes: Uint8Array, filename: string): ImageFacts {
  if (bytes.byteLength === 0) throw new UserError('invalid_image', `${filename} is empty.`);
  if (bytes.byteLength > MAX_IMAGE_BYTES) {
    const mib = (bytes.byteLength / 1024 / 1024).toFixed(1);
    throw new UserError('image_too_large', `${filename} is ${mib} MiB; images may be at most 10 MiB.`);
  }
  const type = sniffImageType(bytes);
  if (!type) {
    throw new UserError('unsupported_image', `${filename} is not a PNG, JPEG or WebP image.`);
  }
  let size: { width?: number; height?: number; orientation?: number };
  try {
    size = imageSize(bytes);
  } catch (error) {
    throw new UserError('invalid_image', `${filename} looks like a ${type.toUpperCase()} but its header is damaged.`, {
      cause: error,
    });
  }
  const { width, height } = size;
  if (!width || !height) throw new UserError('invalid_image', `${filename} has no readable dimensions.`);
  if (width > MAX_IMAGE_SIDE_PX || height > MAX_IMAGE_SIDE_PX) {
    throw new UserError(
      'image_too_many_pixels',
      `${filename} is ${width}×${height} px; images may be at most ${MAX_IMAGE_SIDE_PX}×${MAX_IMAGE_SIDE_PX} px.`,
    );
  }
  const facts: ImageFacts = { type, mimeType: IMAGE_TYPES[type], width, height };
  if (type === 'jpeg' && size.orientation && size.orientation >= 2 && size.orientation <= 8) {
    facts.orientation = size.orientation;
  }
  return facts;
}
