import { stepProcessor } from './step-processor.js';

/** The `plan` step (see core/src/jobs/catalog.ts) as a BullMQ processor. */
export const processPlan = stepProcessor('plan');
