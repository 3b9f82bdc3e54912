import { stepProcessor } from './step-processor.js';

/** The `character_references` step (see core/src/jobs/catalog.ts) as a BullMQ processor. */
export const processCharacterReferences = stepProcessor('character_references');
