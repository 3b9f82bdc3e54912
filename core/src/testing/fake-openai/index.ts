/** A loopback fake of OpenAI's chat-completions API for tests of the real `ai` client (CONVENTIONS.md §10). */
export type {
  FakeChatResponse,
  FakeOpenAI,
  RecordedChatRequest,
  StartFakeOpenAIOptions,
} from './fake-openai-server.js';
export { startFakeOpenAI } from './fake-openai-server.js';
export type { ChatCompletionRequestBody, ChatMessage, ChatResponseFormat } from './wire-format.js';
