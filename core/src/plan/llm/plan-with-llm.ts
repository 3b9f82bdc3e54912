import {
  generateText,
  type LanguageModel,
  type ModelMessage,
  NoObjectGeneratedError,
  Output,
  TypeValidationError,
} from 'ai';
import type { z } from 'zod';
import type { Logger } from '../../log.js';
import type { BeatLibrary } from '../library.js';
import type { Plan } from '../schema.js';
import { completeAdPlan, completeMusicVideoPlan } from './complete-plan.js';
import { adSystemPrompt, musicVideoSystemPrompt, repairMessage, requestMessage } from './llm-prompts.js';
import { LlmAdPlanSchema, LlmMusicVideoPlanSchema } from './llm-schema.js';
import { checkLlmPlan, schemaIssues } from './plan-issues.js';
import type { PlanningRequest } from './planning-request.js';

export interface PlanWithLlmParams {
  model: LanguageModel;
  request: PlanningRequest;
  library: BeatLibrary;
  log: Logger;
  abortSignal: AbortSignal;
}

/** A valid plan from the LLM, or why none came after the repair attempt; `requests` counts LLM calls. */
export type LlmPlanOutcome =
  | { ok: true; plan: Plan; requests: number }
  | { ok: false; reason: string; requests: number };

interface DraftSpec<T> {
  schema: z.ZodType<T>;
  name: string;
  system: string;
  complete(draft: T): Plan;
}

type Draft<T> = { ok: true; value: T; text: string } | { ok: false; issues: string[]; text: string };

const MAX_REQUESTS = 2;

/**
 * Asks the LLM for a plan with one structured-output call; an answer that breaks the schema or
 * the plan rules gets exactly one follow-up message listing the issues. Never retries transport
 * failures (the SDK's retries are off).
 * @returns `ok: false` when the repaired answer is still invalid.
 * @throws the SDK's error on HTTP failures, aborts and timeouts, an answer that is not JSON, or no answer.
 */
export function planWithLlm(params: PlanWithLlmParams): Promise<LlmPlanOutcome> {
  const { request, library } = params;
  if (request.mode === 'ad') {
    return converse(params, {
      schema: LlmAdPlanSchema,
      name: 'ad_plan',
      system: adSystemPrompt(request, library),
      complete: (draft) => completeAdPlan(draft, request, library),
    });
  }
  return converse(params, {
    schema: LlmMusicVideoPlanSchema,
    name: 'music_video_plan',
    system: musicVideoSystemPrompt(request),
    complete: (draft) => completeMusicVideoPlan(draft, request),
  });
}

async function converse<T>(params: PlanWithLlmParams, spec: DraftSpec<T>): Promise<LlmPlanOutcome> {
  const { request, library, log } = params;
  const messages: ModelMessage[] = [{ role: 'user', content: requestMessage(request) }];
  let issues: string[] = [];
  for (let requests = 1; requests <= MAX_REQUESTS; requests += 1) {
    const draft = await requestDraft(params, spec, messages);
    const checked = draft.ok ? checkLlmPlan(spec.complete(draft.value), library) : draft;
    if (checked.ok) return { ok: true, plan: checked.plan, requests };
    issues = checked.issues;
    if (requests < MAX_REQUESTS) {
      log.info({ issues, mode: request.mode }, 'LLM plan is invalid; asking the model to repair it');
      messages.push(
        { role: 'assistant', content: draft.text },
        { role: 'user', content: repairMessage(issues, request) },
      );
    }
  }
  return {
    ok: false,
    reason: `the LLM plan was still invalid after a repair: ${issues.join('; ')}`,
    requests: MAX_REQUESTS,
  };
}

async function requestDraft<T>(
  params: PlanWithLlmParams,
  spec: DraftSpec<T>,
  messages: readonly ModelMessage[],
): Promise<Draft<T>> {
  try {
    const result = await generateText({
      model: params.model,
      system: spec.system,
      messages: [...messages],
      output: Output.object({ schema: spec.schema, name: spec.name }),
      maxRetries: 0,
      abortSignal: params.abortSignal,
    });
    return { ok: true, value: result.output, text: result.text };
  } catch (error) {
    if (NoObjectGeneratedError.isInstance(error) && TypeValidationError.isInstance(error.cause)) {
      const text = error.text ?? '';
      return { ok: false, issues: schemaMismatch(spec.schema, text, error.cause), text };
    }
    throw error;
  }
}

/** The schema's own issues for `text` (valid JSON that failed validation). */
function schemaMismatch<T>(schema: z.ZodType<T>, text: string, fallback: Error): string[] {
  try {
    const result = schema.safeParse(JSON.parse(text));
    if (!result.success) return schemaIssues(result.error);
  } catch {}
  return [fallback.message];
}
