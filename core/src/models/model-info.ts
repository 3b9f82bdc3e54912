import type { ModelCost, ModelKind, ModelSpec } from './types.js';

/**
 * What fronts show about a model (`/video models`, MCP `list_models`): no input names, no fixed
 * inputs. Exactly one of `chunkDurationS` / `allowedDurationsS` is set for a video model.
 */
export interface ModelInfo {
  key: string;
  kind: ModelKind;
  label: string;
  description: string;
  replicateId: string;
  /** Video: seconds every call outputs, for a model with one output length. */
  chunkDurationS?: number;
  /** Video: the clip lengths (seconds) the model lets you choose. */
  allowedDurationsS?: number[];
  /** Music: the longest output of one call (seconds). */
  maxDurationS?: number;
  /** Image: the most images one call returns. */
  maxOutputs?: number;
  fps?: number;
  width?: number;
  height?: number;
  /** USD per `cost.unit` (run, image, or second of output). */
  cost: ModelCost;
  supports: { textToVideo: boolean; firstFrame: boolean; lastFrame: boolean; referenceImages: boolean };
}

/** The front-facing view of `spec`; a fresh, mutable object. */
export function toModelInfo(spec: ModelSpec): ModelInfo {
  return {
    key: spec.key,
    kind: spec.kind,
    label: spec.label,
    description: spec.description,
    replicateId: spec.replicateId,
    ...(spec.actualChunkDurationS === undefined ? {} : { chunkDurationS: spec.actualChunkDurationS }),
    ...(spec.allowedDurationsS === undefined ? {} : { allowedDurationsS: [...spec.allowedDurationsS] }),
    ...(spec.maxDurationS === undefined ? {} : { maxDurationS: spec.maxDurationS }),
    ...(spec.maxOutputs === undefined ? {} : { maxOutputs: spec.maxOutputs }),
    ...(spec.fps === undefined ? {} : { fps: spec.fps }),
    ...(spec.width === undefined ? {} : { width: spec.width }),
    ...(spec.height === undefined ? {} : { height: spec.height }),
    cost: { ...spec.cost },
    supports: { ...spec.supports },
  };
}
