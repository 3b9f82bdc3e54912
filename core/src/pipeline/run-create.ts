import { insertClipVersion, listClipVersions } from '../db/clip-versions.js';
import type { ClipVersionRow, SceneRow } from '../db/schema.js';
import { findVideoById } from '../db/videos.js';
import { planChunks } from '../models/chunks.js';
import type { ModelSpec } from '../models/types.js';
import type { StepContext } from './context.js';
import { type DagNode, runDag } from './dag.js';
import { finishVideo } from './finish-video.js';
import { musicRequest } from './music-request.js';
import type { ProgressReporter } from './progress.js';
import { forStep, sceneVersionNodes, storyboardNodeId } from './scene-nodes.js';
import { contactSheetStep } from './steps/contact-sheet.js';
import { musicStep } from './steps/music.js';
import { planStep, type VideoOptions } from './steps/plan.js';
import { storyboardStep } from './steps/storyboard.js';

const MUSIC_NODE = 'music';
const CONTACT_SHEET_NODE = 'contact_sheet';

/**
 * A new video from its request: plan → (storyboard frames ∥ music) → chunk chains per scene,
 * each starting the moment its input image exists → assemble → stitch → score → deliver.
 */
export async function runCreate(ctx: StepContext, progress: ProgressReporter): Promise<void> {
  const { deps, video } = ctx;
  await progress.stage('planning', 2);
  const planned = await planStep(forStep(ctx, 'plan'));
  const model = deps.registry.get(video.model_key, 'video');
  await progress.stage('storyboarding', 5, `${planned.scenes.length} scenes planned`);

  const versions = await Promise.all(planned.scenes.map((scene) => firstVersion(ctx, scene, model, planned.plan)));
  const provider = deps.providers.name;
  const fresh = await findVideoById(deps.db, video.id);
  const options = (fresh?.options ?? video.options) as VideoOptions;
  const nodes: DagNode[] = planned.scenes.map((scene) => ({
    id: storyboardNodeId(scene.index),
    deps: [],
    pool: provider,
    run: (_inputs, signal) =>
      storyboardStep(
        { ...forStep(ctx, 'storyboard', scene.index), signal },
        {
          scene,
          title: planned.titles[scene.index] ?? `Scene ${scene.index + 1}`,
          palette: planned.plan.style.palette,
          referenceKey: (scene.index === 0 ? options.referenceAssetKey : undefined) ?? options.characterReferenceKey,
        },
      ),
  }));
  nodes.push({
    id: CONTACT_SHEET_NODE,
    deps: planned.scenes.map((scene) => storyboardNodeId(scene.index)),
    pool: 'local',
    run: (inputs, signal) =>
      contactSheetStep(
        { ...forStep(ctx, 'contact_sheet'), signal },
        {
          frames: planned.scenes.map((scene) => ({
            key: (inputs.get(storyboardNodeId(scene.index)) as { key: string }).key,
            label: `${scene.index + 1}. ${planned.titles[scene.index] ?? ''}`.trim(),
          })),
        },
      ),
  });
  nodes.push({
    id: MUSIC_NODE,
    deps: [],
    pool: provider,
    run: (_inputs, signal) =>
      musicStep({ ...forStep(ctx, 'music'), signal }, musicRequest(planned.plan, video.duration_s)),
  });
  planned.scenes.forEach((scene, i) => {
    const clipVersion = versions[i] as ClipVersionRow;
    nodes.push(
      ...sceneVersionNodes(ctx, {
        scene,
        clipVersion,
        model,
        prompt: [scene.prompt, scene.direction_prompt].filter(Boolean).join('. '),
        firstFrame: { node: storyboardNodeId(scene.index) },
        provider,
      }),
    );
  });

  const total = nodes.length;
  let done = 0;
  const outcomes = await runDag(nodes, {
    limits: { [provider]: deps.limits.provider, local: deps.limits.local },
    signal: ctx.signal,
    onStart: (id) => {
      if (id.startsWith('chunk.') && progress.status === 'storyboarding') {
        void progress.stage('generating', progress.percent).catch(() => {});
      }
    },
    onSettled: (id, outcome) => {
      done += 1;
      const percent = 5 + (80 * done) / total;
      if (id.startsWith('assemble.') && outcome.status === 'succeeded') {
        progress.event('scene_ready', { sceneIndex: Number(id.split('.')[1]) + 1, percent });
      } else if (id === CONTACT_SHEET_NODE && outcome.status === 'succeeded') {
        progress.event('storyboard_ready', { percent });
      } else {
        progress.event('progress', { percent });
      }
    },
  });
  const music = outcomes.get(MUSIC_NODE);
  const musicNote =
    music?.status === 'failed'
      ? `Music could not be generated (${String((music.error as Error)?.message ?? music.error)}); delivered without music.`
      : undefined;
  await finishVideo(ctx, progress, { musicNote });
}

/** The scene's version 1, created once (a re-run finds it and carries on). */
async function firstVersion(
  ctx: StepContext,
  scene: SceneRow,
  model: ModelSpec,
  _plan: unknown,
): Promise<ClipVersionRow> {
  const existing = await listClipVersions(ctx.deps.db, scene.id);
  const first = existing[0];
  if (first) return first;
  return insertClipVersion(ctx.deps.db, {
    scene_id: scene.id,
    kind: 'generated',
    status: 'running',
    prompt: scene.prompt,
    provider: ctx.deps.providers.name,
    model_key: model.key,
    chunk_count: planChunks(model, scene.duration_s).chunks.length,
  });
}
