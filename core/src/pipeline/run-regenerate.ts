import { findClipVersionById } from '../db/clip-versions.js';
import { findSceneById } from '../db/scenes.js';
import { PermanentError, userMessage } from '../errors.js';
import type { StepContext } from './context.js';
import { runDag } from './dag.js';
import { finishVideo } from './finish-video.js';
import type { ProgressReporter } from './progress.js';
import { assembleNodeId, sceneVersionNodes } from './scene-nodes.js';

export interface RegenerateWork {
  sceneId: string;
  clipVersionId: string;
}

/**
 * A new version of one scene (its prompt possibly edited) from the scene's storyboard frame, then
 * a new take re-scored with the stored music. Earlier versions and takes stay. If the new version
 * fails, the video stays ready on its previous take and says so.
 */
export async function runRegenerate(ctx: StepContext, progress: ProgressReporter, work: RegenerateWork): Promise<void> {
  const { deps } = ctx;
  const scene = await findSceneById(deps.db, work.sceneId);
  const clipVersion = await findClipVersionById(deps.db, work.clipVersionId);
  if (!scene || !clipVersion) throw new PermanentError('The scene or its new version disappeared before it ran');
  if (!scene.storyboard_key) throw new PermanentError(`Scene ${scene.index + 1} has no storyboard frame to start from`);
  const model = deps.registry.get(clipVersion.model_key, 'video');
  await progress.stage('generating', 10, `Regenerating scene ${scene.index + 1} (version ${clipVersion.version})`);
  const nodes = sceneVersionNodes(ctx, {
    scene,
    clipVersion,
    model,
    prompt: [clipVersion.prompt, scene.direction_prompt].filter(Boolean).join('. '),
    firstFrame: { key: scene.storyboard_key },
    provider: deps.providers.name,
  });
  let done = 0;
  const outcomes = await runDag(nodes, {
    limits: { [deps.providers.name]: deps.limits.provider, local: deps.limits.local },
    signal: ctx.signal,
    onSettled: () => {
      done += 1;
      progress.event('progress', { percent: 10 + (75 * done) / nodes.length });
    },
  });
  const assembled = outcomes.get(assembleNodeId(scene.index, clipVersion.version));
  if (assembled?.status !== 'succeeded') {
    const reason = assembled?.status === 'failed' ? userMessage(assembled.error) : 'an earlier chunk failed';
    const message = `Scene ${scene.index + 1} could not be regenerated (${reason}); the video keeps its previous take.`;
    await progress.stage('ready', 100, message);
    progress.event('video_ready', { message });
    return;
  }
  progress.event('scene_ready', { sceneIndex: scene.index + 1 });
  await finishVideo(ctx, progress);
}
