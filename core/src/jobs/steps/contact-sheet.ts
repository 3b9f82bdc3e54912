import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { updateVideo } from '../../db/videos.js';
import { contactSheet } from '../../media/contact-sheet.js';
import { type Plan, planScenes } from '../../plan/index.js';
import { contactSheetKey } from '../../storage/keys.js';
import { loadVideo } from '../load.js';
import { defineStep, LOCAL_RETRY, outputsOf } from '../step.js';
import { storyboardStep } from './storyboard.js';

/** The storyboard at a glance: every scene's frame (its dependencies' outputs) in one labelled grid. */
export const contactSheetStep = defineStep({
  name: 'contact_sheet',
  input: z.object({ videoId: z.uuid() }),
  output: z.object({ key: z.string() }),
  pool: 'local',
  retry: LOCAL_RETRY,
  async run(input, ctx) {
    const { deps, files, signal } = ctx;
    const video = await loadVideo(ctx, input.videoId);
    const titles = video.plan ? planScenes(video.plan as Plan).map((scene) => scene.title) : [];
    const frames = outputsOf(ctx, storyboardStep);
    const key = contactSheetKey(video.user_id, video.id);
    const paths = await Promise.all(frames.map((frame) => files.fetch(frame.key)));
    const workDir = await files.scratch('contact-sheet');
    try {
      const out = join(workDir, 'contact_sheet.png');
      await contactSheet(paths, out, {
        columns: Math.min(3, paths.length),
        labels: frames.map((_, i) => `${i + 1}. ${titles[i] ?? ''}`.trim()),
        signal,
      });
      await files.publish(out, key, 'image/png');
      await updateVideo(deps.db, video.id, { contact_sheet_key: key });
      return { key };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  },
});
