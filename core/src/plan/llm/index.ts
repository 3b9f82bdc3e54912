/** The LLM planner: one structured call to an OpenAI-compatible model, one repair, the rule planner as fallback. */
export type { CreatePlannerOptions, LlmSettings, Planner, PlannerResult, PlanOptions } from './create-planner.js';
export { createPlanner, DEFAULT_LLM_TIMEOUT_MS } from './create-planner.js';
export type { LlmAdPlan, LlmMusicVideoPlan } from './llm-schema.js';
export { LlmAdPlanSchema, LlmMusicVideoPlanSchema } from './llm-schema.js';
