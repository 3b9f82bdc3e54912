import { stepProcessor } from './step-processor.js';

/** The `contact_sheet` step (see core/src/jobs/catalog.ts) as a BullMQ processor. */
export const processContactSheet = stepProcessor('contact_sheet');
