import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { probeAudio } from '../media/probe.js';

export const MAX_AUDIO_BYTES = 50 * 1024 * 1024;

const AUDIO_CODECS: Record<string, string> = {
  mp3: 'audio/mpeg',
  aac: 'audio/mp4',
  alac: 'audio/mp4',
  vorbis: 'audio/ogg',
  opus: 'audio/ogg',
  flac: 'audio/flac',
};

export interface AudioFacts {
  mimeType: string;
  durationS: number;
  codec: string;
}

/**
 * True when the first bytes are those of a container Reelsmith reads: ID3 or an MPEG/ADTS frame (mp3,
 * aac), RIFF WAVE, an ISO-BMFF `ftyp` box (m4a), OggS or fLaC. Anything else never reaches ffprobe, whose
 * format probing would otherwise also accept playlists and other files that name further resources.
 */
export function looksLikeAudioContainer(bytes: Uint8Array): boolean {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 16));
  const text = (from: number, to: number) => (b.length >= to ? b.toString('latin1', from, to) : '');
  if (text(0, 3) === 'ID3') return true;
  if (b.length >= 2 && b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0) return true;
  if (text(0, 4) === 'RIFF' && text(8, 12) === 'WAVE') return true;
  if (text(4, 8) === 'ftyp') return true;
  return text(0, 4) === 'OggS' || text(0, 4) === 'fLaC';
}

/**
 * Accepts an audio file (mp3, wav, m4a, ogg, flac) up to 50 MiB whose first bytes name one of those
 * containers, that ffprobe can read and that lasts at least a tenth of a second.
 * @throws UserError naming `filename`.
 */
export async function validateAudio(bytes: Uint8Array, filename: string, signal?: AbortSignal): Promise<AudioFacts> {
  if (bytes.byteLength === 0) throw new UserError('invalid_audio', `${filename} is empty.`);
  if (bytes.byteLength > MAX_AUDIO_BYTES) {
    const mib = (bytes.byteLength / 1024 / 1024).toFixed(1);
    throw new UserError('audio_too_large', `${filename} is ${mib} MiB; audio may be at most 50 MiB.`);
  }
  if (!looksLikeAudioContainer(bytes)) {
    throw new UserError(
      'invalid_audio',
      `${filename} is not an audio file Reelsmith can read (mp3, wav, m4a, ogg, flac).`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'reelsmith-audio-'));
  try {
    const path = join(dir, 'upload');
    await writeFile(path, bytes);
    const info = await probeAudio(path, { signal }).catch((error: unknown) => {
      throw new UserError(
        'invalid_audio',
        `${filename} is not an audio file Reelsmith can read (mp3, wav, m4a, ogg).`,
        {
          cause: error,
        },
      );
    });
    const mimeType = info.codec.startsWith('pcm_') ? 'audio/wav' : AUDIO_CODECS[info.codec];
    if (!mimeType) {
      throw new UserError('unsupported_audio', `${filename} uses the ${info.codec} codec; use mp3, wav, m4a or ogg.`);
    }
    if (!(info.durationS >= 0.1)) throw new UserError('invalid_audio', `${filename} has no measurable length.`);
    return { mimeType, durationS: info.durationS, codec: info.codec };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
