import { PassThrough } from 'node:stream';
import { createLogger, type Logger } from '../../../src/log.js';
import type { LlmAdPlan, LlmMusicVideoPlan } from '../../../src/plan/index.js';
import { createPlanner, type Planner } from '../../../src/plan/index.js';
import type { ChatMessage, FakeOpenAI } from '../../../src/testing/fake-openai/index.js';

/** The key the tests give the planner; it must never appear in a log line. */
export const API_KEY = 'fake-openai-key-0123456789';
export const MODEL = 'gpt-plan-test';

/** A real pino logger (the app's) writing JSON lines into memory. */
export function captureLog(): { log: Logger; lines: string[]; records: () => Array<Record<string, unknown>> } {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  const log = createLogger({ level: 'debug', destination: stream, pretty: false });
  return { log, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** A planner talking to `fake` through the real `ai` client. */
export function plannerFor(fake: FakeOpenAI, log: Logger, timeoutMs?: number): Planner {
  return createPlanner({ llm: { apiKey: API_KEY, baseUrl: fake.baseUrl, model: MODEL }, log, timeoutMs });
}

/** A valid 30-second luxury ad as the model would answer (5 + 10 + 10 + 5). */
export function luxuryAdDraft(): LlmAdPlan {
  return {
    archetype: 'luxury_showcase',
    product: 'the Aurum watch',
    beats: [
      beat('mystery_tease', 5, 'A sliver of a gold watch bezel glinting in darkness'),
      beat('hero_shot', 10, 'The Aurum watch rising from black velvet into a beam of light'),
      beat('detail_showcase', 10, 'The engraved dial and sapphire crystal of the Aurum watch'),
      beat('logo_reveal', 5, 'The Aurum logo in gold on black'),
    ],
    style: { palette: ['#0B0B0B', '#D4AF37'], look: 'high-end luxury look', lighting: 'low-key golden light' },
    audio: { style: 'minimal piano', tempoBpm: 78, mood: 'sophisticated' },
  };
}

/** A 20-second music video draft (5 + 5 + 10) whose descriptions may leave the character out. */
export function musicVideoDraft(descriptions: [string, string, string]): LlmMusicVideoPlan {
  const [first, second, third] = descriptions;
  return {
    scenes: [
      { durationS: 5, description: first, action: 'stands on a rooftop', shotType: 'wide', cameraMovement: 'dolly_in' },
      {
        durationS: 5,
        description: second,
        action: 'sings to the city',
        shotType: 'close_up',
        cameraMovement: 'static',
      },
      { durationS: 10, description: third, action: 'dances at dawn', shotType: 'medium', cameraMovement: 'pan_right' },
    ],
    style: { palette: ['#0d0221', '#ff2a6d', '#05d9e8'], look: 'neon-lit night look', lighting: 'neon light' },
    audio: { style: 'synth pop', tempoBpm: 118, mood: 'hopeful' },
  };
}

/** The text of a recorded message (content as a string or a list of text parts). */
export function messageText(message: ChatMessage | undefined): string {
  const content = message?.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part: { text?: string }) => part.text ?? '').join('');
  return '';
}

function beat(id: string, durationS: 5 | 10 | 15, prompt: string): LlmAdPlan['beats'][number] {
  return { id, durationS, prompt, action: null, shotType: null, cameraMovement: 'dolly_in' };
}
