import { z } from 'zod';
import { STEP_NAMES, type StepName } from '../../jobs/catalog.js';
import type { WorkNode } from '../../jobs/graph.js';

/** A step job's payload: the node (its step, input and edges) and the work it belongs to. Nothing else travels. */
export const StepJobData = z.object({
  workId: z.uuid(),
  videoId: z.uuid().nullable(),
  node: z.object({
    id: z
      .string()
      .min(1)
      .refine((id) => !id.includes(':'), 'must not contain ":"'),
    step: z.enum(STEP_NAMES as [StepName, ...StepName[]]),
    input: z.record(z.string(), z.unknown()),
    deps: z.array(z.string()),
    after: z.array(z.string()),
  }),
});
export type StepJobData = { workId: string; videoId: string | null; node: WorkNode };

/** A coordinator job's payload. */
export const WorkJobData = z.object({ workId: z.uuid() });

/** The person-readable reason a payload was refused (the job fails without retry). */
export function payloadProblem(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`).join('; ');
}
