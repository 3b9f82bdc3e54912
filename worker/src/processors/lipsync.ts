import { stepProcessor } from './step-processor.js';

/** The `lipsync` step (see core/src/jobs/catalog.ts) as a BullMQ processor. */
export const processLipsync = stepProcessor('lipsync');
