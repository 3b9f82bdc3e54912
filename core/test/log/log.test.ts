import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { createLogger, scrubText } from '../../src/log.js';

function capture(secrets: string[] = []) {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  const log = createLogger({ level: 'debug', destination: stream, pretty: false, secrets });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { log, lines, records };
}

describe('createLogger', () => {
  it('writes JSON lines at the configured level', () => {
    const { log, records } = capture();
    log.trace('not shown');
    log.info({ videoId: 'v1' }, 'video queued');
    expect(records()).toHaveLength(1);
    expect(records()[0]).toMatchObject({ level: 30, msg: 'video queued', videoId: 'v1' });
  });

  it('redacts fields whose names say they hold secrets', () => {
    const { log, lines } = capture();
    log.info(
      {
        apiToken: 'r8_XXXXXXXXXXXXXXXXXXXXXXXX',
        headers: { Authorization: 'Bearer abcdefghij' },
        nested: { password: 'hunter22' },
      },
      'calling',
    );
    const text = lines.join('\n');
    expect(text).not.toContain('r8_XXXX');
    expect(text).not.toContain('abcdefghij');
    expect(text).not.toContain('hunter22');
    expect(text).toContain('[redacted]');
  });

  it('strips the signature from presigned URLs but keeps the rest of the URL', () => {
    const { log, records } = capture();
    const url =
      'http://minio:9000/media/u/videos/v/final.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20261122&X-Amz-Expires=3600&X-Amz-Signature=deadbeefcafe';
    log.info({ url }, `uploaded ${url}`);
    const record = records()[0]!;
    expect(record.url).toContain('X-Amz-Expires=3600');
    expect(record.url).not.toContain('deadbeefcafe');
    expect(record.url).not.toContain('AKIA');
    expect(record.msg).not.toContain('deadbeefcafe');
  });

  it('blanks configured secret values and token shapes inside messages and errors', () => {
    const { log, lines } = capture(['my-discord-bot-token']);
    const error = new Error('401 for token my-discord-bot-token with key sk-abcdefghijklmnopqrstu');
    log.error({ err: error }, 'discord login failed with my-discord-bot-token');
    const text = lines.join('\n');
    expect(text).not.toContain('my-discord-bot-token');
    expect(text).not.toContain('sk-abcdefghijklmnopqrstu');
    expect(text).toContain('discord login failed');
  });

  it('hides passwords in database and redis URLs', () => {
    expect(scrubText('postgres://app:s3cret@db:5432/x')).toBe('postgres://app:[redacted]@db:5432/x');
    expect(scrubText('redis://:pw123@cache:6379')).toBe('redis://:[redacted]@cache:6379');
  });
});

describe('logging errors', () => {
  it('keeps the type, message, stack and cause of an error', () => {
    const { log, records } = capture();
    const cause = new Error('socket hang up');
    log.error({ err: new Error('upload failed', { cause }) }, 'storage');
    const err = records()[0]?.err as { type: string; message: string; stack: string; cause: { message: string } };
    expect(err.type).toBe('Error');
    expect(err.message).toMatch(/upload failed/);
    expect(err.cause.message).toMatch(/socket hang up/);
    expect(err.stack).toMatch(/log\.test\.ts/);
  });

  it('logs a UserError with frozen details (and a cycle) without throwing', () => {
    const { log, records } = capture();
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const error = new UserError('content_rejected', 'The model refused the content', { details: { model: 'tiny' } });
    Object.assign(error, { context: cyclic });
    expect(() => log.warn({ err: error }, 'step failed')).not.toThrow();
    const err = records()[0]?.err as { type: string; code: string; details: { model: string } };
    expect(err).toMatchObject({ type: 'UserError', code: 'content_rejected', details: { model: 'tiny' } });
  });
});
