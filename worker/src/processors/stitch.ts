import { stepProcessor } from './step-processor.js';

/** The `stitch` step (see core/src/jobs/catalog.ts) as a BullMQ processor. */
export const processStitch = stepProcessor('stitch');
