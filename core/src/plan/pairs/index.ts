import type { Logger } from '../../log.js';
import type { LlmSettings } from '../llm/create-planner.js';
import { pickBySimilarity } from './similarity-picker.js';
import type { PairPicker } from './types.js';

export { pickBySimilarity } from './similarity-picker.js';
export type { PairImage, PairPicker, PairPickRequest, PairPickResult, PickedPair } from './types.js';

export interface CreatePairPickerOptions {
  /** Without it the picker is the deterministic similarity picker. */
  llm?: LlmSettings | undefined;
  log: Logger;
  fetch?: typeof globalThis.fetch | undefined;
  /** The LLM's whole budget (answer and repair), in ms; default 60 000. */
  timeoutMs?: number | undefined;
}

const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/**
 * Image-pairs picker. With `llm`, a vision model picks the pairs (one repair attempt); HTTP
 * errors, timeouts and still-invalid answers fall back to the similarity picker with
 * `fallbackReason` set and a warning logged. Without `llm`, the similarity picker answers.
 */
export function createPairPicker(options: CreatePairPickerOptions): PairPicker {
  const { llm, log } = options;
  return {
    async pick(request, opts = {}) {
      if (llm !== undefined) {
        const timeout = AbortSignal.timeout(options.timeoutMs ?? 60_000);
        const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
        let reason: string;
        try {
          const [{ createOpenAI }, { pickWithLlm }] = await Promise.all([
            import('@ai-sdk/openai'),
            import('./llm-picker.js'),
          ]);
          const model = createOpenAI({
            baseURL: llm.baseUrl ?? OPENAI_BASE_URL,
            apiKey: llm.apiKey,
            fetch: options.fetch,
          }).chat(llm.model);
          const outcome = await pickWithLlm(model, request, signal);
          if (outcome.ok) return { pairs: outcome.pairs, source: 'llm' };
          reason = outcome.reason;
        } catch (error) {
          if (opts.signal?.aborted) throw opts.signal.reason;
          reason = error instanceof Error ? error.message : String(error);
        }
        log.warn({ reason }, `LLM pair picking failed; using the similarity picker: ${reason}`);
        return { pairs: await pickBySimilarity(request, opts.signal), source: 'similarity', fallbackReason: reason };
      }
      return { pairs: await pickBySimilarity(request, opts.signal), source: 'similarity' };
    },
  };
}
