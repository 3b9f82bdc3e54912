import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { updateVideo } from '../../db/videos.js';
import { contactSheet } from '../../media/contact-sheet.js';
import { contactSheetKey } from '../../storage/keys.js';
import type { StepContext } from '../context.js';

/** The storyboard at a glance: every scene's frame in one labelled grid (`contact_sheet.png`). */
export async function contactSheetStep(
  ctx: StepContext,
  input: { frames: ReadonlyArray<{ key: string; label: string }> },
): Promise<{ key: string }> {
  const { deps, video, files, signal } = ctx;
  const key = contactSheetKey(video.user_id, video.id);
  const paths = await Promise.all(input.frames.map((frame) => files.fetch(frame.key)));
  const workDir = await files.scratch('contact-sheet');
  try {
    const out = join(workDir, 'contact_sheet.png');
    await contactSheet(paths, out, {
      columns: Math.min(3, paths.length),
      labels: input.frames.map((frame) => frame.label),
      signal,
    });
    await files.publish(out, key, 'image/png');
    await updateVideo(deps.db, video.id, { contact_sheet_key: key });
    return { key };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
