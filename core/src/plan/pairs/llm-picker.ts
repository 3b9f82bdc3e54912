import { readFile } from 'node:fs/promises';
import {
  generateText,
  type LanguageModel,
  type ModelMessage,
  NoObjectGeneratedError,
  Output,
  type UserContent,
} from 'ai';
import { type LlmPairs, LlmPairsSchema, pairIssues, toPickedPairs } from './pair-schema.js';
import type { PairPickRequest, PickedPair } from './types.js';

const MAX_REQUESTS = 2;

const SYSTEM = [
  'You pick ordered pairs of images for a video ad: each pair becomes one clip that morphs the first image into the last.',
  'Pick pairs that make smooth, meaningful transitions for the campaign. Use only the given image ids;',
  'a pair never goes from an image to itself. Give each pair a score from 0 to 1 and one line of reasoning.',
  'Answer with JSON: {"pairs":[{"first":id,"last":id,"score":number,"reasoning":string}]}.',
].join(' ');

export type LlmPairsOutcome = { ok: true; pairs: PickedPair[] } | { ok: false; reason: string };

/**
 * One vision call (every image as an image input, labelled with its id) with structured output;
 * an answer that breaks the schema or the pair rules gets exactly one repair message listing the
 * issues. @throws the SDK's error on HTTP failures, timeouts and aborts.
 */
export async function pickWithLlm(
  model: LanguageModel,
  request: PairPickRequest,
  signal: AbortSignal,
): Promise<LlmPairsOutcome> {
  const ids = request.images.map((image) => image.assetId);
  const content: Exclude<UserContent, string> = [{ type: 'text', text: requestText(request) }];
  for (const image of request.images) {
    content.push({ type: 'text', text: `Image id: ${image.assetId}` });
    content.push({ type: 'image', image: await readFile(image.path), mediaType: mediaTypeOf(image.path) });
  }
  const messages = [{ role: 'user', content }] as ModelMessage[];
  let issues: string[] = [];
  for (let requests = 1; requests <= MAX_REQUESTS; requests += 1) {
    const draft = await ask(model, messages, signal);
    issues = draft.ok ? pairIssues(draft.value, ids, request.numPairs) : draft.issues;
    if (draft.ok && issues.length === 0) return { ok: true, pairs: toPickedPairs(draft.value) };
    messages.push(
      { role: 'assistant', content: draft.text },
      {
        role: 'user',
        content: `That answer is invalid: ${issues.join('; ')}. Answer again with valid pairs, using only these ids: ${ids.join(', ')}.`,
      },
    );
  }
  return { ok: false, reason: `the LLM's pairs were still invalid after a repair: ${issues.join('; ')}` };
}

type Draft = { ok: true; value: LlmPairs; text: string } | { ok: false; issues: string[]; text: string };

async function ask(model: LanguageModel, messages: ModelMessage[], signal: AbortSignal): Promise<Draft> {
  try {
    const result = await generateText({
      model,
      system: SYSTEM,
      messages: [...messages],
      output: Output.object({ schema: LlmPairsSchema, name: 'image_pairs' }),
      maxRetries: 0,
      abortSignal: signal,
    });
    return { ok: true, value: result.output, text: result.text };
  } catch (error) {
    if (NoObjectGeneratedError.isInstance(error)) {
      return { ok: false, issues: [`the answer does not match the schema: ${error.message}`], text: error.text ?? '' };
    }
    throw error;
  }
}

function requestText(request: PairPickRequest): string {
  return [
    `There are ${request.images.length} images.`,
    request.numPairs === undefined
      ? 'Choose how many pairs make a good ad.'
      : `Pick exactly ${request.numPairs} pairs.`,
    request.brandContext ? `Brand context (goal, audience, guidelines): ${request.brandContext}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

function mediaTypeOf(path: string): string {
  const lower = path.toLowerCase();
  if (lower.endsWith('.jpg') || lower.endsWith('.jpeg')) return 'image/jpeg';
  if (lower.endsWith('.webp')) return 'image/webp';
  return 'image/png';
}
