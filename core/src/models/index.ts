/**
 * The model registry and what is computed from it: chunk plans, Replicate inputs, cost
 * estimates. Facts live in `core/models.yaml`; see shared/REPLICATE_MODELS.md for their sources.
 */
export * from './chunks.js';
export * from './estimate.js';
export * from './input.js';
export * from './model-info.js';
export {
  DEFAULT_MODEL_REGISTRY_URL,
  loadModelRegistry,
  type ModelRegistry,
  parseModelRegistry,
  type RegistryProblem,
} from './registry.js';
export * from './types.js';
