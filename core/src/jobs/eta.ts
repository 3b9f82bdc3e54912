import type { StepStatus } from '../db/schema.js';
import type { ModelRegistry } from '../models/registry.js';
import type { ModelKind } from '../models/types.js';
import type { ProviderName } from '../providers/types.js';
import { isSettled, type WorkGraph, type WorkNode } from './graph.js';

/** Seconds one prediction of a kind usually takes when the registry gives no `typicalLatencyS`. */
const DEFAULT_LATENCY_S: Record<ModelKind, number> = { video: 60, image: 8, music: 30, lipsync: 60, embedding: 5 };
/** Seconds the animatic usually takes per generation, and local ffmpeg steps per step. */
const ANIMATIC_S = 2;
const LOCAL_S = 2;

export interface EtaContext {
  registry: ModelRegistry;
  provider: ProviderName;
  /** The video model of the work (chunks). */
  videoModelKey: string;
  /** Provider calls that may run at once (the provider pool's limit). */
  providerSlots: number;
}

/** The model kind a provider step generates with; undefined for local steps. */
const KIND_OF_STEP: Partial<Record<WorkNode['step'], ModelKind>> = {
  chunk: 'video',
  storyboard: 'image',
  character_references: 'image',
  music: 'music',
  lipsync: 'lipsync',
};

/** How long `node` usually takes, seconds: registry latencies for provider steps, a small constant for local ones. */
export function typicalNodeSeconds(node: WorkNode, ctx: EtaContext): number {
  const kind = KIND_OF_STEP[node.step];
  if (!kind) return LOCAL_S;
  if (ctx.provider === 'animatic') return ANIMATIC_S;
  const model = kind === 'video' ? ctx.registry.get(ctx.videoModelKey, 'video') : ctx.registry.defaultFor(kind);
  return model.typicalLatencyS ?? DEFAULT_LATENCY_S[kind];
}

/**
 * Seconds until the graph's unsettled nodes are done: the longer of their critical path and their
 * provider seconds spread over the provider slots. Settled nodes count 0; a running one counts whole.
 */
export function estimateRemainingSeconds(
  graph: WorkGraph,
  statusOf: (id: string) => StepStatus | undefined,
  ctx: EtaContext,
): number {
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const memo = new Map<string, number>();
  const finishAt = (id: string): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const own = !node || isSettled(statusOf(id)) ? 0 : typicalNodeSeconds(node, ctx);
    const before = node ? Math.max(0, ...[...node.deps, ...node.after].map(finishAt)) : 0;
    memo.set(id, before + own);
    return before + own;
  };
  const critical = Math.max(0, ...graph.nodes.map((node) => finishAt(node.id)));
  const providerSeconds = graph.nodes
    .filter((node) => KIND_OF_STEP[node.step] && !isSettled(statusOf(node.id)))
    .reduce((sum, node) => sum + typicalNodeSeconds(node, ctx), 0);
  return Math.round(Math.max(critical, providerSeconds / Math.max(1, ctx.providerSlots)));
}

/**
 * How long the longest chain from each node to the end of the graph usually takes (the node
 * itself included), seconds. Runners start ready nodes with the longest tail first, so the chain
 * that decides when the video is ready never waits behind work that could go later.
 */
export function tailSeconds(graph: WorkGraph, ctx: EtaContext): Map<string, number> {
  const dependants = new Map<string, string[]>();
  for (const node of graph.nodes) {
    for (const id of [...node.deps, ...node.after]) dependants.set(id, [...(dependants.get(id) ?? []), node.id]);
  }
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const tails = new Map<string, number>();
  const tailOf = (id: string): number => {
    const known = tails.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const value = (node ? typicalNodeSeconds(node, ctx) : 0) + Math.max(0, ...(dependants.get(id) ?? []).map(tailOf));
    tails.set(id, value);
    return value;
  };
  for (const node of graph.nodes) tailOf(node.id);
  return tails;
}

/** The ETA context of a work's graph from the pipeline's deps (its registry, provider and pool size). */
export function etaContextOf(
  deps: { registry: ModelRegistry; providers: { name: ProviderName }; limits: { provider: number } },
  videoModelKey?: string,
  /** The video's own provider (`videos.provider`): a preview on a paid deployment is timed as the animatic. */
  provider?: ProviderName,
): EtaContext {
  return {
    registry: deps.registry,
    provider: provider ?? deps.providers.name,
    videoModelKey: videoModelKey ?? deps.registry.defaultFor('video').key,
    providerSlots: deps.limits.provider,
  };
}
