import { listScenes } from '../db/scenes.js';
import type { StepRow, VideoRow, WorkRow } from '../db/schema.js';
import { listSteps } from '../db/steps.js';
import { findVideoById, NOT_CANCELLED, setVideoStatus } from '../db/videos.js';
import { setWorkStatus } from '../db/works.js';
import { describeError } from '../errors.js';
import type { PipelineDeps } from '../pipeline/context.js';
import type { WorkGraph, WorkNode } from './graph.js';
import { rootFailure } from './progress.js';

/** How a work ended and what that means for its video. */
interface Verdict {
  work: 'succeeded' | 'failed';
  error?: { code: string; message: string } | undefined;
  video?: { status: 'ready' | 'failed'; message: string; error?: { code: string; message: string } | undefined };
}

/**
 * The finish rules, over the stored outcome of every node of a settled graph (never callbacks held
 * in memory, so whichever process runs the last step concludes the same way):
 * - create: planning, stitch or score failed → the video failed with that step's reason; otherwise
 *   it is ready, naming the scenes that failed and were left out, and saying when the music failed
 *   and the video was delivered without it;
 * - regenerate / lipsync: when the new version failed the video stays on its previous take and the
 *   work fails with the real cause; a failed stitch or score fails the video;
 * - restitch: a failed stitch or score fails the video;
 * - character references: the work fails with the step's reason.
 * The work moves from `running` exactly once (compare-and-set): a second conclusion changes nothing
 * and returns undefined. A cancelled video's work ends `cancelled` without events.
 */
export async function concludeWork(deps: PipelineDeps, work: WorkRow, graph: WorkGraph): Promise<WorkRow | undefined> {
  const video = work.video_id ? await findVideoById(deps.db, work.video_id) : undefined;
  if (video?.status === 'cancelled') {
    await setWorkStatus(deps.db, work.id, 'cancelled', { onlyFrom: ['running', 'waiting'] });
    return undefined;
  }
  const steps = new Map((await listSteps(deps.db, work.id)).map((row) => [row.key, row]));
  const verdict = await judge(deps, work, graph, steps, video);
  const concluded = await setWorkStatus(deps.db, work.id, verdict.work, {
    onlyFrom: ['running'],
    errorCode: verdict.error?.code ?? null,
    errorMessage: verdict.error?.message ?? null,
  });
  if (!concluded || !video || !verdict.video) return concluded;
  const { status, message, error } = verdict.video;
  const updated = await setVideoStatus(deps.db, video.id, status, {
    ...(status === 'ready' ? { progress: 100 } : {}),
    stageMessage: message,
    errorCode: error?.code ?? null,
    errorMessage: error?.message ?? null,
    onlyFrom: NOT_CANCELLED,
  });
  if (updated) {
    await deps.events.emit(
      {
        videoId: video.id,
        kind: status === 'ready' ? 'video_ready' : 'failed',
        stage: status,
        percent: updated.progress,
        message,
      },
      `${work.id}.concluded`,
    );
  }
  return concluded;
}

async function judge(
  deps: PipelineDeps,
  work: WorkRow,
  graph: WorkGraph,
  steps: ReadonlyMap<string, StepRow>,
  video: VideoRow | undefined,
): Promise<Verdict> {
  const nodeOf = (step: WorkNode['step']) => graph.nodes.find((node) => node.step === step);
  const failureOf = (step: WorkNode['step']) => {
    const node = nodeOf(step);
    const row = node ? steps.get(node.id) : undefined;
    return row?.status === 'failed' ? errorOf(row) : undefined;
  };
  if (work.kind === 'character_references') {
    const error = failureOf('character_references');
    return error ? { work: 'failed', error } : { work: 'succeeded' };
  }
  const failed = (error: { code: string; message: string }): Verdict => ({
    work: 'failed',
    error,
    video: { status: 'failed', message: error.message, error },
  });
  const planFailure = failureOf('plan');
  if (planFailure) return failed(planFailure);
  if (work.kind === 'regenerate' || work.kind === 'lipsync') {
    const subject = nodeOf(work.kind === 'regenerate' ? 'assemble_scene' : 'lipsync');
    const outcome = subject ? steps.get(subject.id) : undefined;
    if (subject && outcome?.status !== 'succeeded') {
      const cause = rootFailure(graph, subject.id, steps);
      const reason = cause ? errorOf(cause) : { code: 'generation_failed', message: 'it did not finish' };
      const scene = await sceneNumber(deps, video, String(subject.input.sceneId));
      const verb = work.kind === 'regenerate' ? 'regenerated' : 'lip-synced';
      const message = `Scene ${scene} could not be ${verb} (${reason.message}); the video keeps its previous take.`;
      return {
        work: 'failed',
        error: reason,
        video: { status: video?.current_take_id ? 'ready' : 'failed', message, error: reason },
      };
    }
  }
  const finishFailure = failureOf('stitch') ?? failureOf('score');
  if (finishFailure) return failed(finishFailure);
  const notes: string[] = [];
  if (work.kind === 'create' && video) {
    const lost = (await listScenes(deps.db, video.id)).filter((scene) => scene.status === 'failed');
    if (lost.length > 0) {
      notes.push(
        `Scene${lost.length > 1 ? 's' : ''} ${lost.map((scene) => scene.index + 1).join(', ')} failed and ${lost.length > 1 ? 'were' : 'was'} left out; regenerate ${lost.length > 1 ? 'them' : 'it'} to fill the gap.`,
      );
    }
    const music = failureOf('music');
    if (music) notes.push(`Music could not be generated (${music.message}); delivered without music.`);
  }
  const score = nodeOf('score');
  const scored = score ? (steps.get(score.id)?.output as { withMusic?: boolean } | null) : null;
  if (scored && scored.withMusic === false && !notes.some((note) => note.startsWith('Music'))) {
    notes.push('Delivered without music.');
  }
  return { work: 'succeeded', video: { status: 'ready', message: notes.join(' ') || 'Ready.' } };
}

function errorOf(row: StepRow): { code: string; message: string } {
  return { code: row.error_code ?? 'generation_failed', message: row.error_message ?? 'it failed' };
}

async function sceneNumber(deps: PipelineDeps, video: VideoRow | undefined, sceneId: string): Promise<number | string> {
  if (!video) return '?';
  const scene = (await listScenes(deps.db, video.id)).find((candidate) => candidate.id === sceneId);
  return scene ? scene.index + 1 : '?';
}

/**
 * A work whose graph cannot be built (the rows it names are gone) ends failed, and so does its
 * video, with the reason.
 */
export async function failWork(deps: PipelineDeps, work: WorkRow, error: unknown): Promise<void> {
  const { code, message } = describeError(error);
  deps.log.error({ err: error, workId: work.id }, 'work graph could not be built');
  const ended = await setWorkStatus(deps.db, work.id, 'failed', {
    onlyFrom: ['running'],
    errorCode: code,
    errorMessage: message,
  });
  if (!ended || !work.video_id) return;
  const video = await setVideoStatus(deps.db, work.video_id, 'failed', {
    errorCode: code,
    errorMessage: message,
    stageMessage: message,
    onlyFrom: NOT_CANCELLED,
  });
  if (video) {
    await deps.events.emit(
      { videoId: video.id, kind: 'failed', stage: 'failed', percent: video.progress, message },
      `${work.id}.concluded`,
    );
  }
}

/**
 * A work whose process stopped before it finished (an InlineRunner closed or killed): the work
 * fails as `interrupted`, so it no longer holds its owner's place in line, and the video says so
 * (still ready on its previous take when it has one).
 */
export async function interruptWork(deps: PipelineDeps, work: WorkRow): Promise<void> {
  const message = 'Interrupted: the process making it stopped before it finished; start it again.';
  const ended = await setWorkStatus(deps.db, work.id, 'failed', {
    onlyFrom: ['running', 'waiting'],
    errorCode: 'interrupted',
    errorMessage: message,
  });
  if (!ended || !work.video_id) return;
  const video = await findVideoById(deps.db, work.video_id);
  if (!video || video.status === 'cancelled') return;
  const status = video.current_take_id ? 'ready' : 'failed';
  await setVideoStatus(deps.db, video.id, status, {
    stageMessage: message,
    ...(status === 'failed' ? { errorCode: 'interrupted', errorMessage: message } : {}),
    onlyFrom: NOT_CANCELLED,
  });
}
