import type { RunnerKind, VideoStatus, WorkKind, WorkRow } from '../db/schema.js';
import { lockUser } from '../db/users.js';
import { findVideoById, recordVideoProgress, setVideoStatus, WORKING_STAGES } from '../db/videos.js';
import { countRunningVideoWorks, insertWork, listWaitingWorksForUser, setWorkStatus } from '../db/works.js';
import { PermanentError } from '../errors.js';
import type { PipelineDeps } from '../pipeline/context.js';
import { type WorkRequest, workParams } from './work-request.js';

/** The stage a video shows while a work of this kind runs before its first step moves it on. */
const INITIAL_STAGE: Record<WorkKind, VideoStatus | undefined> = {
  create: undefined,
  regenerate: 'generating',
  lipsync: 'generating',
  restitch: 'stitching',
  character_references: undefined,
};

export interface Submission {
  work: WorkRow;
  /** Works this submission let start (the new one, when its owner had room). */
  admitted: WorkRow[];
}

/**
 * Records a work for `runner` and lets in whatever its owner's line allows (`admitWaitingWorks`).
 * @throws PermanentError when the request names a video that does not exist.
 */
export async function submitWork(
  deps: PipelineDeps,
  request: WorkRequest,
  runner: RunnerKind,
  runnerId: string | null = null,
): Promise<Submission> {
  const videoId = request.kind === 'character_references' ? null : request.videoId;
  const video = videoId ? await findVideoById(deps.db, videoId) : undefined;
  if (videoId && !video) throw new PermanentError(`Video ${videoId} does not exist`);
  const userId = request.kind === 'character_references' ? request.userId : (video?.user_id as string);
  const work = await insertWork(deps.db, {
    user_id: userId,
    video_id: videoId,
    kind: request.kind,
    runner,
    runner_id: runnerId,
    params: workParams(request),
  });
  return { work, admitted: await admitWaitingWorks(deps, userId) };
}

/**
 * The per-user limit, enforced in Postgres under the user's row lock: a user's waiting works start
 * in line order while fewer than `userConcurrentVideos` of their video works run (works without a
 * video, such as character references, always start). Each work still waiting is told its place:
 * its video shows `queued` with `queuePosition` and a "2nd in line" message, and a `queued` event.
 * Returns the works it started (now `running`); the caller's runner executes them.
 */
export async function admitWaitingWorks(deps: PipelineDeps, userId: string): Promise<WorkRow[]> {
  const { admitted, waiting } = await deps.db.transaction().execute(async (trx) => {
    await lockUser(trx, userId);
    let free = deps.userConcurrentVideos - (await countRunningVideoWorks(trx, userId));
    const started: WorkRow[] = [];
    const stillWaiting: WorkRow[] = [];
    for (const work of await listWaitingWorksForUser(trx, userId)) {
      if (work.video_id && free <= 0) {
        stillWaiting.push(work);
        continue;
      }
      const running = await setWorkStatus(trx, work.id, 'running', { onlyFrom: ['waiting'] });
      if (!running) continue;
      if (work.video_id) free -= 1;
      started.push(running);
    }
    return { admitted: started, waiting: stillWaiting };
  });
  for (const work of admitted) {
    const stage = INITIAL_STAGE[work.kind];
    if (work.video_id && stage) await setVideoStatus(deps.db, work.video_id, stage, { onlyFrom: ['queued'] });
    if (work.video_id) await recordVideoProgress(deps.db, work.video_id, { detail: { queuePosition: null } });
  }
  for (const [i, work] of waiting.entries()) await tellPosition(deps, work, i + 1);
  return admitted;
}

async function tellPosition(deps: PipelineDeps, work: WorkRow, position: number): Promise<void> {
  if (!work.video_id) return;
  const message = `Waiting: ${ordinal(position)} in line (your other video is being made first).`;
  const video = await setVideoStatus(deps.db, work.video_id, 'queued', {
    onlyFrom: WORKING_STAGES,
    stageMessage: message,
  });
  if (!video) return;
  await recordVideoProgress(deps.db, video.id, { detail: { queuePosition: position } });
  await deps.events.emit(
    { videoId: video.id, kind: 'queued', stage: 'queued', percent: video.progress, queuePosition: position, message },
    `${work.id}.queued.${position}`,
  );
}

/** 1st, 2nd, 3rd, 4th, …, 11th, 12th, 13th, 21st. */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
