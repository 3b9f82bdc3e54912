import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ChatCompletionRequestBody, chatCompletionBody, errorBody } from './wire-format.js';

/**
 * One scripted answer of the fake, used by one chat-completions request in order:
 * `json` is sent as the message content (a JSON string, as structured output is), `text` as
 * raw content, `status` as an OpenAI error envelope with that HTTP status. `delayMs` holds the
 * answer back (a client that gives up first just closes the connection).
 */
export type FakeChatResponse =
  | { json: unknown; delayMs?: number }
  | { text: string; delayMs?: number }
  | { status: number; message?: string; headers?: Record<string, string>; delayMs?: number };

export interface StartFakeOpenAIOptions {
  /** Answers for successive authorised chat-completions requests; more can be added with `enqueue`. */
  responses?: FakeChatResponse[];
  /** The bearer token the fake accepts; default `test-key`. */
  apiKey?: string;
}

/** What a client sent, and the status the fake answered with (undefined while a delayed answer is pending). */
export interface RecordedChatRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  /** The parsed JSON body, or undefined when it was not JSON. */
  body: ChatCompletionRequestBody | undefined;
  status: number | undefined;
}

/** A running fake: point `createOpenAI({ baseURL: fake.baseUrl, apiKey: fake.apiKey })` at it. */
export interface FakeOpenAI {
  /** `http://127.0.0.1:PORT/v1`. */
  readonly baseUrl: string;
  readonly apiKey: string;
  /** Every request received, in arrival order (unauthorised and unknown ones included). */
  readonly requests: readonly RecordedChatRequest[];
  /** Appends answers to the script. */
  enqueue(...responses: FakeChatResponse[]): void;
  /** Stops listening and drops open connections (pending delayed answers are abandoned). */
  close(): Promise<void>;
}

const DEFAULT_API_KEY = 'test-key';

/**
 * Starts an OpenAI-compatible server on 127.0.0.1 (a free port) that implements
 * `POST /v1/chat/completions` without streaming: it checks `Authorization: Bearer <apiKey>`
 * (401 otherwise), records every request and answers from the script. A request beyond the
 * script gets a 500 saying so; a streaming request gets a 400.
 */
export async function startFakeOpenAI(options: StartFakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const script: FakeChatResponse[] = [...(options.responses ?? [])];
  const requests: RecordedChatRequest[] = [];
  let served = 0;

  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const record: RecordedChatRequest = {
        method: req.method ?? '',
        path: (req.url ?? '').split('?')[0] ?? '',
        authorization: req.headers.authorization,
        body: parseBody(raw),
        status: undefined,
      };
      requests.push(record);
      const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
        if (res.destroyed) return;
        record.status = status;
        sendJson(res, status, body, { 'x-request-id': `req_fake_${requests.length}`, ...headers });
      };
      if (record.method !== 'POST' || record.path !== '/v1/chat/completions') {
        send(404, errorBody(404, `fake-openai: no route for ${record.method} ${record.path}`));
      } else if (record.authorization !== `Bearer ${apiKey}`) {
        send(401, errorBody(401, 'Incorrect API key provided.'));
      } else if (record.body === undefined) {
        send(400, errorBody(400, 'fake-openai: the body is not JSON'));
      } else if (record.body.stream === true) {
        send(400, errorBody(400, 'fake-openai: streaming is not implemented'));
      } else {
        served += 1;
        answer(script.shift(), record.body, served, res, send);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    enqueue: (...responses) => {
      script.push(...responses);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function answer(
  scripted: FakeChatResponse | undefined,
  body: ChatCompletionRequestBody,
  index: number,
  res: ServerResponse,
  send: (status: number, body: unknown, headers?: Record<string, string>) => void,
): void {
  const respond = (): void => {
    if (scripted === undefined) {
      send(500, errorBody(500, `fake-openai: no scripted response left for request ${index}`));
    } else if ('status' in scripted) {
      send(scripted.status, errorBody(scripted.status, scripted.message ?? `fake-openai: status ${scripted.status}`), {
        ...scripted.headers,
      });
    } else {
      const content = 'json' in scripted ? JSON.stringify(scripted.json) : scripted.text;
      const promptChars = JSON.stringify(body.messages ?? []).length;
      const createdS = Math.floor(Date.now() / 1000);
      send(200, chatCompletionBody({ id: `chatcmpl-fake${index}`, model: body.model, content, promptChars, createdS }));
    }
  };
  const delayMs = scripted?.delayMs ?? 0;
  if (delayMs <= 0) {
    respond();
    return;
  }
  const timer = setTimeout(respond, delayMs);
  res.on('close', () => clearTimeout(timer));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

function parseBody(raw: string): ChatCompletionRequestBody | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null ? (value as ChatCompletionRequestBody) : undefined;
  } catch {
    return undefined;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
