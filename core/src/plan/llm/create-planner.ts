import type { Logger } from '../../log.js';
import { loadBeatLibrary } from '../library.js';
import type { PlanRequest } from '../plan-request.js';
import type { PlannerDeps } from '../planner-deps.js';
import { planVideo } from '../rule-planner.js';
import type { Plan } from '../schema.js';
import { type PlanningRequest, readPlanningRequest } from './planning-request.js';

/** An OpenAI-compatible chat-completions endpoint. */
export interface LlmSettings {
  apiKey: string;
  /** Up to and including `/v1`; default `https://api.openai.com/v1`. */
  baseUrl?: string | undefined;
  model: string;
}

export interface CreatePlannerOptions extends PlannerDeps {
  /** Without it the planner is the rule planner. */
  llm?: LlmSettings | undefined;
  log: Logger;
  /** The fetch the LLM client uses; default the global one. */
  fetch?: typeof globalThis.fetch | undefined;
  /** The LLM's whole budget (first answer and repair), in ms; then the rule planner answers. Default 60 000. */
  timeoutMs?: number | undefined;
}

export interface PlanOptions {
  /** Aborting it rejects `plan` with the signal's reason (no rule fallback). */
  signal?: AbortSignal | undefined;
}

/** The plan, which planner made it, and why the LLM's was not used when it was asked and failed. */
export interface PlannerResult {
  plan: Plan;
  source: 'llm' | 'rules';
  fallbackReason?: string;
}

export interface Planner {
  /**
   * A plan for `request` that has passed `validatePlan`, of exactly the requested duration.
   * @throws UserError for a bad request, the same as `planVideo` (checked before any LLM call).
   */
  plan(request: PlanRequest, opts?: PlanOptions): Promise<PlannerResult>;
}

export const DEFAULT_LLM_TIMEOUT_MS = 60_000;

interface LlmClient {
  model: Parameters<typeof import('./plan-with-llm.js')['planWithLlm']>[0]['model'];
  planWithLlm: typeof import('./plan-with-llm.js')['planWithLlm'];
  describeLlmFailure: typeof import('./llm-failure.js')['describeLlmFailure'];
}
const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/**
 * The planner the app uses. Without `llm` it is the deterministic rule planner (`source: 'rules'`,
 * no network). With `llm`, a valid request goes to the model (chat completions, structured
 * output; one repair attempt for an invalid plan); HTTP errors, timeouts, unreadable or still
 * invalid answers fall back to the rule planner with `fallbackReason` set and a warning logged.
 * The API key is never logged.
 */
export function createPlanner(options: CreatePlannerOptions): Planner {
  const { llm, log, library: ownLibrary, flavorsRoot } = options;
  const deps: PlannerDeps = { library: ownLibrary, flavorsRoot, log };
  if (llm === undefined) {
    return { plan: async (request) => ({ plan: planVideo(request, deps), source: 'rules' }) };
  }
  // The `ai` SDK is loaded on the first plan, so processes that never plan with the LLM stay light.
  let client: Promise<LlmClient> | undefined;
  const llmClient = () => {
    client ??= Promise.all([import('@ai-sdk/openai'), import('./plan-with-llm.js'), import('./llm-failure.js')]).then(
      ([{ createOpenAI }, { planWithLlm }, { describeLlmFailure }]) => ({
        model: createOpenAI({ baseURL: llm.baseUrl ?? OPENAI_BASE_URL, apiKey: llm.apiKey, fetch: options.fetch }).chat(
          llm.model,
        ),
        planWithLlm,
        describeLlmFailure,
      }),
    );
    return client;
  };
  const timeoutMs = options.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS;

  return {
    async plan(request, opts = {}) {
      const checked = readPlanningRequest(request, deps);
      opts.signal?.throwIfAborted();
      const library = ownLibrary ?? loadBeatLibrary();
      const timeout = AbortSignal.timeout(timeoutMs);
      const abortSignal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
      let reason: string;
      const { model, planWithLlm, describeLlmFailure } = await llmClient();
      try {
        const outcome = await planWithLlm({ model, request: checked, library, log, abortSignal });
        if (outcome.ok) {
          log.info({ model: llm.model, mode: checked.mode, requests: outcome.requests }, 'plan made by the LLM');
          return { plan: outcome.plan, source: 'llm' };
        }
        reason = outcome.reason;
      } catch (error) {
        if (opts.signal?.aborted) throw opts.signal.reason;
        reason = timeout.aborted ? `the LLM did not answer within ${timeoutMs} ms` : describeLlmFailure(error);
      }
      log.warn(
        { model: llm.model, mode: checked.mode, fallbackReason: reason },
        `LLM planning failed; using the rule planner: ${reason}`,
      );
      return { plan: planVideo(ruleRequest(request, checked), deps), source: 'rules', fallbackReason: reason };
    },
  };
}

/** The request with its flavor resolved, so an unknown flavor is not warned about twice. */
function ruleRequest(request: PlanRequest, checked: PlanningRequest): PlanRequest {
  return { ...request, flavor: checked.flavor.name };
}
