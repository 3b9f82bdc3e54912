import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAI, startFakeOpenAI } from '../../../src/testing/fake-openai/index.js';

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await startFakeOpenAI({ apiKey: 'k-123', responses: [{ json: { ok: true } }, { text: 'plain words' }] });
});
afterEach(async () => {
  await fake.close();
});

function chat(key: string, body: unknown = { model: 'm', messages: [{ role: 'user', content: 'hi' }] }) {
  return fetch(`${fake.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function content(response: Response): Promise<string | undefined> {
  const body = (await response.json()) as { choices?: Array<{ message?: { content?: string } }> };
  return body.choices?.[0]?.message?.content;
}

describe('startFakeOpenAI', () => {
  it('answers scripted chat completions in the OpenAI wire format, in order', async () => {
    const first = await (await chat('k-123')).json();
    const second = await content(await chat('k-123'));

    expect(first).toMatchObject({
      object: 'chat.completion',
      model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content: '{"ok":true}' }, finish_reason: 'stop' }],
      usage: { total_tokens: expect.any(Number) },
    });
    expect(second).toBe('plain words');
    expect(fake.requests.map((request) => request.status)).toEqual([200, 200]);
  });

  it('refuses a wrong bearer token with 401 without using up the script', async () => {
    const refused = await chat('wrong');
    const accepted = await content(await chat('k-123'));

    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 'invalid_api_key' } });
    expect(accepted).toBe('{"ok":true}');
    expect(fake.requests[0]).toMatchObject({ authorization: 'Bearer wrong', status: 401 });
  });

  it('answers 500 once the script is used up, and scripted statuses as OpenAI error envelopes', async () => {
    fake.enqueue({ status: 429, message: 'slow down', headers: { 'retry-after': '1' } });
    await chat('k-123');
    await chat('k-123');
    const limited = await chat('k-123');
    const exhausted = await chat('k-123');

    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toMatchObject({ error: { message: 'slow down', code: 'rate_limit_exceeded' } });
    expect(exhausted.status).toBe(500);
    expect(await exhausted.text()).toContain('no scripted response left');
  });
});
