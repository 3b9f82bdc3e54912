import { type FlavorInfo, listFlavors } from '../flavors/catalog.js';
import { estimateVideoCost, type VideoCostEstimate } from '../models/estimate.js';
import { type ModelInfo, toModelInfo } from '../models/model-info.js';
import type { ModelRegistry } from '../models/registry.js';
import { planScenes, planVideo } from '../plan/index.js';
import type { Planner } from '../plan/llm/index.js';
import type { PlanRequest } from '../plan/plan-request.js';
import type { Plan } from '../plan/schema.js';
import type { ProviderName } from '../providers/types.js';
import type { CreateVideoRequest, Estimate } from './types.js';
import { type CheckedCreateRequest, checkFlavor, validateCreateRequest } from './validate.js';

export type { FlavorInfo } from '../flavors/catalog.js';
export type { ModelInfo } from '../models/model-info.js';

export function describeModels(registry: ModelRegistry): ModelInfo[] {
  // Embedding models are not generation models: fronts list what videos are made with.
  return registry
    .list()
    .filter((model) => model.kind !== 'embedding')
    .map(toModelInfo);
}

export function listFlavorInfos(): FlavorInfo[] {
  return listFlavors();
}

/**
 * What a request would cost on the chosen models (storyboard frames, every chunk's output seconds,
 * the music), from the same plan the run will use; `chargedUsd` is 0 on the animatic.
 */
export function estimateRequest(registry: ModelRegistry, req: CheckedCreateRequest, provider: ProviderName): Estimate {
  // Image pairs: one clip per pair, no storyboard frames (the images are the frames), no music.
  const sceneDurationsS = req.pairs
    ? Array.from({ length: req.pairs.estimatedPairs }, () => req.pairs?.clipDurationS ?? 0)
    : planScenes(
        planVideo({
          prompt: req.prompt,
          durationS: req.durationS,
          mode: req.mode === 'image_pairs' ? 'ad' : req.mode,
          creativity: req.creativity,
          hasImage: req.hasImage,
          flavor: req.flavor,
          characterDescription: req.characterDescription,
        }),
      ).map((scene) => scene.durationS);
  const cost = estimateVideoCost({
    video: req.model,
    image: registry.defaultFor('image'),
    music: registry.defaultFor('music'),
    sceneDurationsS,
    storyboardImages: req.pairs ? 0 : sceneDurationsS.length,
    musicDurationS: req.pairs ? 0 : req.durationS + 5,
  });
  return estimateOf(cost, req.model.key, provider, req.durationS);
}

/** A cost estimate as the verbs answer it: rounded to 1/100 cent, charged only off the animatic. */
export function estimateOf(
  cost: VideoCostEstimate,
  model: string,
  provider: ProviderName,
  durationS: number,
): Estimate {
  return {
    model,
    provider,
    durationS,
    totalUsd: round(cost.totalUsd),
    chargedUsd: provider === 'animatic' ? 0 : round(cost.totalUsd),
    lines: cost.lines.map((line) => ({
      kind: line.kind,
      model: line.model,
      quantity: line.quantity,
      unit: line.unit,
      usd: round(line.usd),
    })),
  };
}

function round(usd: number): number {
  return Math.round(usd * 10_000) / 10_000;
}

/** The verbs that need neither a database nor a runner: planning, estimates and the catalogs. */
export interface CatalogService {
  plan(req: PlanRequest): Promise<Plan>;
  estimate(req: CreateVideoRequest): Promise<Estimate>;
  listModels(): ModelInfo[];
  listFlavors(): FlavorInfo[];
}

export interface CatalogDeps {
  registry: ModelRegistry;
  planner: Planner;
  defaultVideoModel: string;
  provider: ProviderName;
}

/** The catalog verbs on their own (the CLI's `models`, `flavors`, `plan`, `estimate` open no database). */
export function createCatalogService(deps: CatalogDeps): CatalogService {
  return {
    async plan(req) {
      if (req.flavor !== undefined) checkFlavor(req.flavor);
      return (await deps.planner.plan(req)).plan;
    },
    async estimate(req) {
      return estimateRequest(
        deps.registry,
        validateCreateRequest(req, deps.registry, deps.defaultVideoModel),
        deps.provider,
      );
    },
    listModels: () => describeModels(deps.registry),
    listFlavors: () => listFlavorInfos(),
  };
}
