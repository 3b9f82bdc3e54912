import { stepProcessor } from './step-processor.js';

/** The `score` step (see core/src/jobs/catalog.ts) as a BullMQ processor. */
export const processScore = stepProcessor('score');
