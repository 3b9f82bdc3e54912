import { findCurrentClipVersion, updateClipVersion } from '../db/clip-versions.js';
import { updateScene } from '../db/scenes.js';
import type { ClipVersionRow, SceneRow } from '../db/schema.js';
import { userMessage } from '../errors.js';
import { planChunks } from '../models/chunks.js';
import type { ModelSpec } from '../models/types.js';
import { type StepContext, stepKey } from './context.js';
import type { DagNode } from './dag.js';
import { assembleSceneStep } from './steps/assemble-scene.js';
import { type ChunkOutput, chunkStep } from './steps/chunk.js';

export const storyboardNodeId = (sceneIndex: number) => `storyboard.${sceneIndex}`;
export const chunkNodeId = (sceneIndex: number, version: number, chunk: number) =>
  `chunk.${sceneIndex}.${version}.${chunk}`;
export const assembleNodeId = (sceneIndex: number, version: number) => `assemble.${sceneIndex}.${version}`;

/** A step context for one node: same video and run, its own idempotency key. */
export function forStep(ctx: StepContext, step: string, ...parts: Array<string | number>): StepContext {
  const key = stepKey(ctx.video.id, step, ...parts);
  return { ...ctx, stepKey: key, log: ctx.log.child({ step: key }) };
}

export interface SceneVersionPlan {
  scene: SceneRow;
  clipVersion: ClipVersionRow;
  model: ModelSpec;
  /** Beat prompt + direction prompt. */
  prompt: string;
  /** Where the first chunk's image comes from: a storyboard node in the same DAG, or a stored key. */
  firstFrame: { node: string } | { key: string };
  provider: string;
}

/**
 * The chain of one scene version: chunk 0 starts from the storyboard frame, chunk k from chunk
 * k-1's last frame, never from another scene's; then the chunks are assembled into the version.
 * A failure anywhere marks the version and the scene failed (other scenes carry on).
 */
export function sceneVersionNodes(ctx: StepContext, plan: SceneVersionPlan): DagNode[] {
  const { scene, clipVersion, model } = plan;
  const version = clipVersion.version;
  const chunks = planChunks(model, scene.duration_s).chunks;
  const nodes: DagNode[] = chunks.map((chunk, k) => {
    const previous = k === 0 ? undefined : chunkNodeId(scene.index, version, k - 1);
    const firstFrameNode = 'node' in plan.firstFrame ? plan.firstFrame.node : undefined;
    const deps = previous ? [previous] : firstFrameNode ? [firstFrameNode] : [];
    return {
      id: chunkNodeId(scene.index, version, k),
      deps,
      pool: plan.provider,
      run: (inputs, signal) => {
        const inputImageKey = previous
          ? (inputs.get(previous) as ChunkOutput).lastFrameKey
          : firstFrameNode
            ? (inputs.get(firstFrameNode) as { key: string }).key
            : (plan.firstFrame as { key: string }).key;
        return guard(ctx, plan, () =>
          chunkStep(
            { ...forStep(ctx, 'chunk', scene.index, version, k), signal },
            {
              scene,
              version,
              chunkIndex: k,
              requestedDurationS: chunk.requestedDurationS,
              outputDurationS: chunk.outputDurationS,
              model,
              prompt: plan.prompt,
              inputImageKey,
            },
          ),
        );
      },
    };
  });
  const chunkIds = nodes.map((node) => node.id);
  nodes.push({
    id: assembleNodeId(scene.index, version),
    deps: chunkIds,
    pool: 'local',
    run: (inputs, signal) =>
      guard(ctx, plan, () =>
        assembleSceneStep(
          { ...forStep(ctx, 'assemble', scene.index, version), signal },
          {
            scene,
            clipVersion,
            chunkKeys: chunkIds.map((id) => (inputs.get(id) as ChunkOutput).chunkKey),
          },
        ),
      ),
  });
  return nodes;
}

async function guard<T>(ctx: StepContext, plan: SceneVersionPlan, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!ctx.signal.aborted) {
      ctx.log.warn({ err: error, scene: plan.scene.index + 1 }, 'scene version failed');
      const message = userMessage(error);
      await updateClipVersion(ctx.deps.db, plan.clipVersion.id, { status: 'failed', error_message: message });
      const current = await findCurrentClipVersion(ctx.deps.db, plan.scene.id);
      await updateScene(
        ctx.deps.db,
        plan.scene.id,
        current
          ? { status: 'ready', error_message: `Version ${plan.clipVersion.version} failed: ${message}` }
          : { status: 'failed', error_message: message },
      );
    }
    throw error;
  }
}
