import { processStepJob, type StepJobDeps, type StepName } from '@reelsmith/core/worker';
import { type Job, UnrecoverableError } from 'bullmq';

/** A BullMQ processor for one step kind: a thin call into core's step-job processing. */
export type StepProcessor = (context: StepJobDeps, job: Job, token?: string, signal?: AbortSignal) => Promise<unknown>;

/** The processor of `step`: refuses a job filed under another step's name, then runs it through core. */
export function stepProcessor(step: StepName): StepProcessor {
  return (context, job, token, signal) => {
    if (job.name !== step) throw new UnrecoverableError(`Job ${job.id} is named ${job.name}, not ${step}`);
    return processStepJob(context, job, token, signal);
  };
}
