/**
 * The one encoding every Reelsmith-made video uses, so our own clips share codec parameters and can
 * be joined by stream copy: H.264 high profile, yuv420p, CRF 20, preset veryfast, a closed fixed GOP
 * of 2 s (no scene-cut keyframes), no B-frames, a 90 kHz video time scale, AAC-LC 48 kHz stereo
 * 128 kb/s, and `+faststart` so players can start before the whole file has arrived.
 *
 * No B-frames (`-bf 0`): frames are stored in display order (decode time = presentation time), so a
 * stream copy can be cut after any frame, exactly (the concat demuxer cuts on decode times; with
 * B-frames a cut keeps a reordered frame past the cut and drops earlier ones). It costs a few percent
 * of bitrate at equal quality. Clips encoded with B-frames are never stream-copied together with
 * B-frame-free ones (`canStreamCopy` compares `reorderFrames`).
 */
export const ENCODE_PRESET = Object.freeze({
  videoCodec: 'libx264',
  profile: 'high',
  pixelFormat: 'yuv420p',
  crf: 20,
  speed: 'veryfast',
  gopSeconds: 2,
  bFrames: 0,
  videoTimeScale: 90_000,
  audioCodec: 'aac',
  audioSampleRate: 48_000,
  audioChannels: 2,
  audioBitrate: '128k',
});

/** Output arguments that encode video at `fps` (frames per second) and audio with `ENCODE_PRESET`. */
export function presetOutputArgs(fps: number): string[] {
  const gop = Math.max(1, Math.round(fps * ENCODE_PRESET.gopSeconds));
  const p = ENCODE_PRESET;
  return [
    ...['-c:v', p.videoCodec, '-preset', p.speed, '-crf', String(p.crf), '-profile:v', p.profile],
    ...['-pix_fmt', p.pixelFormat, '-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0'],
    ...['-bf', String(p.bFrames)],
    ...['-video_track_timescale', String(p.videoTimeScale)],
    ...presetAudioArgs(),
    ...['-movflags', '+faststart'],
  ];
}

/** Output arguments that encode audio with `ENCODE_PRESET` (AAC 48 kHz stereo). */
export function presetAudioArgs(): string[] {
  const p = ENCODE_PRESET;
  return [
    '-c:a',
    p.audioCodec,
    '-b:a',
    p.audioBitrate,
    '-ar',
    String(p.audioSampleRate),
    '-ac',
    String(p.audioChannels),
  ];
}
