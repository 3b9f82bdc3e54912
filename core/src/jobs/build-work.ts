import type { Kysely } from 'kysely';
import { findClipVersionById, listClipVersionsForScenes } from '../db/clip-versions.js';
import { findSceneById, listScenes } from '../db/scenes.js';
import type { ClipVersionRow, Database, SceneRow, VideoRow, WorkRow } from '../db/schema.js';
import { findVideoById } from '../db/videos.js';
import { PermanentError } from '../errors.js';
import { planChunks } from '../models/chunks.js';
import type { ModelRegistry } from '../models/registry.js';
import { stepKey } from '../pipeline/context.js';
import { chunkLastFrameKey, storyboardKey } from '../storage/keys.js';
import type { WorkGraph, WorkNode } from './graph.js';
import { WORK_PARAMS } from './work-request.js';

export interface BuildWorkDeps {
  db: Kysely<Database>;
  registry: ModelRegistry;
}

/**
 * A work's graph as plain data, derived from Postgres alone, so any process can rebuild it at any
 * time and get the same nodes (same ids, inputs and edges):
 * - create: plan; then, from the rows planning wrote, a storyboard frame per scene (all feeding the
 *   contact sheet), the music, each scene's chain of chunks (chunk 0 from the scene's frame, chunk k
 *   from chunk k-1's last frame) and its assembly, a stitch once every scene settled, and a score
 *   once the stitch succeeded and the music settled. Before planning the graph is `partial`.
 * - regenerate: the new version's chunks from the scene's stored frame, its assembly, stitch, score.
 * - lipsync: the lipsync of the scene's current clip, stitch, score.
 * - restitch: stitch, score.
 * - character_references: one node.
 * @throws PermanentError when the rows the work names are gone.
 */
export async function buildWork(deps: BuildWorkDeps, work: WorkRow): Promise<WorkGraph> {
  if (work.kind === 'character_references') {
    const node: WorkNode = {
      id: stepKey(work.id, 'character_references'),
      step: 'character_references',
      input: { workId: work.id },
      deps: [],
      after: [],
    };
    return { workId: work.id, nodes: [node], partial: false };
  }
  const video = work.video_id ? await findVideoById(deps.db, work.video_id) : undefined;
  if (!video) throw new PermanentError(`Work ${work.id} names a video that does not exist`);
  const graph = (nodes: WorkNode[], partial = false): WorkGraph => ({ workId: work.id, nodes, partial });
  if (work.kind === 'create') return graph(...(await createNodes(deps, video, work)));
  if (work.kind === 'restitch') return graph(finishNodes(video, work, []));
  if (work.kind === 'regenerate') {
    const params = WORK_PARAMS.regenerate.parse(work.params);
    const { scene, version } = await sceneAndVersion(deps, params);
    if (!scene.storyboard_key) {
      throw new PermanentError(`Scene ${scene.index + 1} has no storyboard frame to start from`);
    }
    const chain = sceneChain(deps, video, scene, version, { key: scene.storyboard_key });
    const assemble = chain.at(-1) as WorkNode;
    return graph([...chain, ...finishNodes(video, work, [assemble.id], 'deps')]);
  }
  const params = WORK_PARAMS.lipsync.parse(work.params);
  const { scene, version } = await sceneAndVersion(deps, params);
  const lipsync: WorkNode = {
    id: stepKey(video.id, 'lipsync', scene.index, version.version),
    step: 'lipsync',
    input: { videoId: video.id, ...params },
    deps: [],
    after: [],
  };
  return graph([lipsync, ...finishNodes(video, work, [lipsync.id], 'deps')]);
}

async function createNodes(deps: BuildWorkDeps, video: VideoRow, work: WorkRow): Promise<[WorkNode[], boolean]> {
  const plan: WorkNode = {
    id: stepKey(video.id, 'plan'),
    step: 'plan',
    input: { videoId: video.id },
    deps: [],
    after: [],
  };
  const scenes = await listScenes(deps.db, video.id);
  const versions = await listClipVersionsForScenes(
    deps.db,
    scenes.map((scene) => scene.id),
  );
  const firstVersions = scenes.map((scene) => versions.find((v) => v.scene_id === scene.id && v.version === 1));
  if (scenes.length === 0 || firstVersions.some((version) => version === undefined)) return [[plan], true];
  if (video.mode === 'image_pairs') return [pairsNodes(deps, video, work, plan, scenes, firstVersions), false];
  const storyboards: WorkNode[] = scenes.map((scene) => ({
    id: stepKey(video.id, 'storyboard', scene.index),
    step: 'storyboard',
    input: { videoId: video.id, sceneId: scene.id },
    deps: [plan.id],
    after: [],
  }));
  const contactSheet: WorkNode = {
    id: stepKey(video.id, 'contact_sheet'),
    step: 'contact_sheet',
    input: { videoId: video.id },
    deps: storyboards.map((node) => node.id),
    after: [],
  };
  const music: WorkNode = {
    id: stepKey(video.id, 'music'),
    step: 'music',
    input: { videoId: video.id },
    deps: [plan.id],
    after: [],
  };
  const chains = scenes.map((scene, i) =>
    sceneChain(deps, video, scene, firstVersions[i] as ClipVersionRow, {
      node: storyboards[i] as WorkNode,
      key: storyboardKey(video.user_id, video.id, scene.index),
    }),
  );
  const assembles = chains.map((chain) => (chain.at(-1) as WorkNode).id);
  const finish = finishNodes(video, work, assembles, 'after', music.id);
  return [[plan, ...storyboards, contactSheet, music, ...chains.flat(), ...finish], false];
}

/**
 * Image pairs: no storyboards, contact sheet or music; each scene's chain starts from its stored
 * frame (the pair's first image, written by planning), then stitch and score.
 */
function pairsNodes(
  deps: BuildWorkDeps,
  video: VideoRow,
  work: WorkRow,
  plan: WorkNode,
  scenes: SceneRow[],
  firstVersions: Array<ClipVersionRow | undefined>,
): WorkNode[] {
  const chains = scenes.map((scene, i) => {
    if (!scene.storyboard_key) throw new PermanentError(`Scene ${scene.index + 1} has no first image`);
    return sceneChain(deps, video, scene, firstVersions[i] as ClipVersionRow, {
      node: plan,
      key: scene.storyboard_key,
    });
  });
  const assembles = chains.map((chain) => (chain.at(-1) as WorkNode).id);
  return [plan, ...chains.flat(), ...finishNodes(video, work, assembles, 'after')];
}

/**
 * One scene version's chain: its chunks, each starting from the previous one's last frame (the
 * first from `firstFrame`), then their assembly into the version.
 */
function sceneChain(
  deps: BuildWorkDeps,
  video: VideoRow,
  scene: SceneRow,
  version: ClipVersionRow,
  firstFrame: { node?: WorkNode; key: string },
): WorkNode[] {
  const model = deps.registry.get(version.model_key, 'video');
  const chunks = planChunks(model, scene.duration_s).chunks;
  const nodes: WorkNode[] = chunks.map((_, k) => ({
    id: stepKey(video.id, 'chunk', scene.index, version.version, k),
    step: 'chunk',
    input: {
      videoId: video.id,
      sceneId: scene.id,
      clipVersionId: version.id,
      chunk: k,
      inputImageKey:
        k === 0 ? firstFrame.key : chunkLastFrameKey(video.user_id, video.id, scene.index, version.version, k - 1),
    },
    deps:
      k === 0
        ? firstFrame.node
          ? [firstFrame.node.id]
          : []
        : [stepKey(video.id, 'chunk', scene.index, version.version, k - 1)],
    after: [],
  }));
  nodes.push({
    id: stepKey(video.id, 'assemble', scene.index, version.version),
    step: 'assemble_scene',
    input: { videoId: video.id, sceneId: scene.id, clipVersionId: version.id },
    deps: nodes.map((node) => node.id),
    after: [],
  });
  return nodes;
}

/**
 * Stitch and score. The stitch waits for `before` as dependencies (it needs them to have succeeded:
 * regenerate, lipsync) or only for them to settle (create: failed scenes are left out). The score
 * needs the stitch and waits for the music, when there is one.
 */
function finishNodes(
  video: VideoRow,
  work: Pick<WorkRow, 'seq'>,
  before: string[],
  mode: 'deps' | 'after' = 'deps',
  music?: string,
): WorkNode[] {
  const stitch: WorkNode = {
    id: stepKey(video.id, 'stitch', work.seq),
    step: 'stitch',
    input: { videoId: video.id },
    deps: mode === 'deps' ? before : [],
    after: mode === 'after' ? before : [],
  };
  const score: WorkNode = {
    id: stepKey(video.id, 'score', work.seq),
    step: 'score',
    input: { videoId: video.id },
    deps: [stitch.id],
    after: music ? [music] : [],
  };
  return [stitch, score];
}

async function sceneAndVersion(deps: BuildWorkDeps, params: { sceneId: string; clipVersionId: string }) {
  const scene = await findSceneById(deps.db, params.sceneId);
  const version = await findClipVersionById(deps.db, params.clipVersionId);
  if (!scene || !version) throw new PermanentError('The scene or its new version disappeared before it ran');
  return { scene, version };
}
