import { stepProcessor } from './step-processor.js';

/** The `chunk` step (see core/src/jobs/catalog.ts) as a BullMQ processor. */
export const processGenerateChunk = stepProcessor('chunk');
