import { stepProcessor } from './step-processor.js';

/** The `assemble_scene` step (see core/src/jobs/catalog.ts) as a BullMQ processor. */
export const processAssembleScene = stepProcessor('assemble_scene');
