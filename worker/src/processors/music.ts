import { stepProcessor } from './step-processor.js';

/** The `music` step (see core/src/jobs/catalog.ts) as a BullMQ processor. */
export const processMusic = stepProcessor('music');
