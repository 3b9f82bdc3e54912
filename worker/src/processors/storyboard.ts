import { stepProcessor } from './step-processor.js';

/** The `storyboard` step (see core/src/jobs/catalog.ts) as a BullMQ processor. */
export const processStoryboard = stepProcessor('storyboard');
