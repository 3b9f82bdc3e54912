import { findCurrentClipVersion, updateClipVersion } from '../db/clip-versions.js';
import { findSceneById, listScenes, updateScene } from '../db/scenes.js';
import type { StepRow, StepStatus, VideoRow, WorkRow } from '../db/schema.js';
import { listSteps } from '../db/steps.js';
import { advanceVideoStage, findVideoById, recordVideoProgress } from '../db/videos.js';
import type { VideoEvent } from '../events/types.js';
import type { PipelineDeps } from '../pipeline/context.js';
import type { ProviderName } from '../providers/types.js';
import { stepNamed } from './catalog.js';
import { estimateRemainingSeconds, etaContextOf } from './eta.js';
import type { WorkGraph, WorkNode } from './graph.js';

/**
 * The progress rules both runners apply, over stored step outcomes: what a node's start and
 * settle mean for the video (its stage, percent, scenes ready, ETA, flagged scenes) and which
 * event tells the fronts. Every event's cause is `{workId}.{nodeId}.…`, so applying a rule twice
 * (a re-run step, a second advance) stores and notifies nothing twice.
 */

/** Percent a video shows when it enters a stage. */
const STAGE_PERCENT: Partial<Record<VideoRow['status'], number>> = {
  planning: 2,
  storyboarding: 5,
  generating: 10,
  stitching: 88,
  scoring: 94,
};
/** Percent once each finishing node settled. */
const SETTLED_PERCENT: Partial<Record<WorkNode['step'], number>> = { plan: 5, stitch: 92, score: 98 };
const FINISHING: ReadonlySet<WorkNode['step']> = new Set(['plan', 'stitch', 'score']);
/** Steps whose failure means the scene version they build failed. */
const VERSION_STEPS: ReadonlySet<WorkNode['step']> = new Set(['chunk', 'assemble_scene', 'lipsync']);

/** A node is starting: the video moves to the node's stage when that is further along. */
export async function onNodeStarted(deps: PipelineDeps, work: WorkRow, node: WorkNode): Promise<void> {
  const stage = stepNamed(node.step).stage;
  if (!stage || !work.video_id) return;
  const moved = await advanceVideoStage(deps.db, work.video_id, stage, { progress: STAGE_PERCENT[stage] ?? 0 });
  if (!moved) return;
  await emit(deps, moved, `${work.id}.stage.${stage}`, { kind: 'progress', percent: moved.progress });
}

/**
 * A node settled (its outcome is stored): flag the scene version it failed, record the video's
 * percent, scenes ready and ETA, and emit `scene_ready`, `storyboard_ready` or `progress`.
 */
export async function onNodeSettled(
  deps: PipelineDeps,
  work: WorkRow,
  graph: WorkGraph,
  node: WorkNode,
): Promise<void> {
  if (!work.video_id) return;
  const steps = new Map((await listSteps(deps.db, work.id)).map((row) => [row.key, row]));
  const outcome = steps.get(node.id);
  if (!outcome) return;
  if (VERSION_STEPS.has(node.step) && (outcome.status === 'failed' || outcome.status === 'skipped')) {
    await flagFailedVersion(deps, graph, node, steps);
  }
  const video = await findVideoById(deps.db, work.video_id);
  if (!video) return;
  const statusOf = (id: string): StepStatus | undefined => steps.get(id)?.status;
  const main = graph.nodes.filter((candidate) => !FINISHING.has(candidate.step));
  const mainDone = main.filter((candidate) => isDone(statusOf(candidate.id))).length;
  const [base, span] = work.kind === 'create' ? [5, 80] : [10, 75];
  const percent = Math.round(
    SETTLED_PERCENT[node.step] ?? (main.length > 0 ? base + (span * mainDone) / main.length : video.progress),
  );
  const scenes = await listScenes(deps.db, video.id);
  const built = graph.nodes.filter(
    (n) => (n.step === 'assemble_scene' || n.step === 'lipsync') && statusOf(n.id) === 'succeeded',
  );
  const detail = {
    sceneCount: scenes.length,
    scenesReady: work.kind === 'create' ? built.length : scenes.filter((scene) => scene.status === 'ready').length,
    etaS: estimateRemainingSeconds(
      graph,
      statusOf,
      etaContextOf(deps, video.model_key, video.provider as ProviderName),
    ),
    queuePosition: null,
  };
  const message =
    node.step === 'plan' && outcome.status === 'succeeded' ? `${scenes.length} scenes planned` : undefined;
  const recorded = await recordVideoProgress(deps.db, video.id, {
    percent,
    detail,
    ...(message ? { stageMessage: message } : {}),
  });
  if (!recorded) return;
  const extra = await eventFor(deps, node, outcome);
  await emit(deps, recorded, `${work.id}.${node.id}.${outcome.status}`, {
    ...extra,
    percent: recorded.progress,
    sceneCount: detail.sceneCount,
    etaS: detail.etaS,
    ...(message ? { message } : {}),
  });
}

function isDone(status: StepStatus | undefined): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'skipped';
}

async function eventFor(
  deps: PipelineDeps,
  node: WorkNode,
  outcome: StepRow,
): Promise<Pick<VideoEvent, 'kind'> & { sceneIndex?: number }> {
  if (outcome.status === 'succeeded' && (node.step === 'assemble_scene' || node.step === 'lipsync')) {
    const scene = await findSceneById(deps.db, String(node.input.sceneId));
    return { kind: 'scene_ready', ...(scene ? { sceneIndex: scene.index + 1 } : {}) };
  }
  if (outcome.status === 'succeeded' && node.step === 'contact_sheet') return { kind: 'storyboard_ready' };
  return { kind: 'progress' };
}

/**
 * A chunk, assembly or lipsync of a scene version failed (or was skipped because what it needed
 * failed): the version is marked failed with the first real cause found in the graph, and the scene
 * failed, or still ready on an older version with a note.
 */
async function flagFailedVersion(
  deps: PipelineDeps,
  graph: WorkGraph,
  node: WorkNode,
  steps: ReadonlyMap<string, StepRow>,
): Promise<void> {
  const cause = rootFailure(graph, node.id, steps);
  const message = cause?.error_message ?? 'an earlier step failed';
  const versionId = String(node.input.clipVersionId);
  const sceneId = String(node.input.sceneId);
  const version = await updateClipVersion(deps.db, versionId, { status: 'failed', error_message: message });
  const current = await findCurrentClipVersion(deps.db, sceneId);
  await updateScene(
    deps.db,
    sceneId,
    current
      ? { status: 'ready', error_message: `Version ${version?.version ?? '?'} failed: ${message}` }
      : { status: 'failed', error_message: message },
  );
}

/** The first node that really failed on the way to `id` (itself, or what its skip came from). */
export function rootFailure(graph: WorkGraph, id: string, steps: ReadonlyMap<string, StepRow>): StepRow | undefined {
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const seen = new Set<string>();
  const visit = (at: string): StepRow | undefined => {
    if (seen.has(at)) return undefined;
    seen.add(at);
    const row = steps.get(at);
    if (row?.status === 'failed') return row;
    for (const dep of byId.get(at)?.deps ?? []) {
      const found = visit(dep);
      if (found) return found;
    }
    return undefined;
  };
  return visit(id);
}

async function emit(
  deps: PipelineDeps,
  video: VideoRow,
  cause: string,
  fields: Partial<VideoEvent> & Pick<VideoEvent, 'kind' | 'percent'>,
): Promise<void> {
  await deps.events.emit(
    {
      videoId: video.id,
      stage: video.status,
      ...fields,
    },
    cause,
  );
}
