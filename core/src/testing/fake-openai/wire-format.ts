/**
 * The OpenAI chat-completions wire format, as far as the fake server speaks it
 * (https://platform.openai.com/docs/api-reference/chat/object).
 */

/** One message of a chat-completions request; `content` is text or a list of content parts. */
export interface ChatMessage {
  role: string;
  content: unknown;
  [key: string]: unknown;
}

/** The `response_format` of a request asking for structured output. */
export interface ChatResponseFormat {
  type: 'text' | 'json_object' | 'json_schema';
  json_schema?: { name: string; schema: Record<string, unknown>; strict?: boolean | null; description?: string };
}

/** The body of `POST /v1/chat/completions` as the client sent it (unknown fields kept). */
export interface ChatCompletionRequestBody {
  model: string;
  messages: ChatMessage[];
  response_format?: ChatResponseFormat;
  stream?: boolean;
  [key: string]: unknown;
}

/** A `chat.completion` object with one choice whose message holds `content`. */
export function chatCompletionBody(options: {
  id: string;
  model: string;
  content: string;
  promptChars: number;
  createdS: number;
}): Record<string, unknown> {
  const promptTokens = Math.ceil(options.promptChars / 4);
  const completionTokens = Math.ceil(options.content.length / 4);
  return {
    id: options.id,
    object: 'chat.completion',
    created: options.createdS,
    model: options.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: options.content, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
    system_fingerprint: 'fp_fake_openai',
  };
}

/** OpenAI's error envelope (`{ error: { message, type, param, code } }`). */
export function errorBody(status: number, message: string): Record<string, unknown> {
  return { error: { message, type: errorType(status), param: null, code: errorCode(status) } };
}

function errorType(status: number): string {
  if (status === 401) return 'invalid_request_error';
  if (status === 429) return 'requests';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

function errorCode(status: number): string | null {
  if (status === 401) return 'invalid_api_key';
  if (status === 429) return 'rate_limit_exceeded';
  return null;
}
