import { lookup as dnsLookup } from 'node:dns/promises';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fetchRemoteFile } from '../../src/assets/fetch-remote.js';
import { makeCertificate, startHttpsServer, type TestHttpsServer, tableLookup } from './https-fixture.js';

/** Every refusal here must happen before any socket is opened. */
describe('fetchRemoteFile refuses unsafe URLs without connecting', () => {
  let server: TestHttpsServer;
  let port: number;
  const connect = vi.spyOn(net.Socket.prototype, 'connect');

  beforeAll(async () => {
    server = await startHttpsServer(makeCertificate(), (_req, res) => res.end('should never be served'), {
      host: '::',
    });
    port = server.port;
  });
  afterAll(() => server?.close());
  afterEach(() => {
    connect.mockClear();
  });

  async function refusal(url: string, lookup = vi.fn((host: string, opts: { all: true }) => dnsLookup(host, opts))) {
    const error = await fetchRemoteFile(url, { maxBytes: 1024, lookup }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    return { error, lookup };
  }

  it.each([
    'http://images.test/cat.png',
    'file:///etc/passwd',
    'ftp://images.test/cat.png',
    'data:image/png;base64,iVBORw0KGgo=',
    'javascript:alert(1)',
    'ws://images.test/',
  ])('refuses %s as url_not_https', async (url) => {
    const { error, lookup } = await refusal(url);
    expect(error).toMatchObject({ name: 'UserError', code: 'url_not_https' });
    expect((error as Error).message).toContain(url.slice(0, 20));
    expect(lookup).not.toHaveBeenCalled();
    expect(connect).not.toHaveBeenCalled();
  });

  it('refuses a URL with a user name or password without repeating the password', async () => {
    for (const url of ['https://admin:hunter2@images.test/cat.png', 'https://admin@images.test/cat.png']) {
      const { error, lookup } = await refusal(url);
      expect(error).toMatchObject({ code: 'url_has_credentials' });
      expect((error as Error).message).toContain('https://images.test/cat.png');
      expect((error as Error).message).not.toContain('hunter2');
      expect(lookup).not.toHaveBeenCalled();
    }
    expect(connect).not.toHaveBeenCalled();
  });

  it('refuses text that is not a URL as url_invalid', async () => {
    const { error } = await refusal('images.test/cat.png');
    expect(error).toMatchObject({ code: 'url_invalid' });
    expect((error as Error).message).toContain('images.test/cat.png');
  });

  it.each([
    ['loopback', 'https://127.0.0.1:PORT/x.png'],
    ['IPv6 loopback', 'https://[::1]:PORT/'],
    ['unspecified (reaches this host)', 'https://0.0.0.0:PORT/'],
    ['IPv4-mapped IPv6 loopback', 'https://[::ffff:127.0.0.1]:PORT/'],
    ['decimal IPv4', 'https://2130706433:PORT/'],
    ['octal IPv4', 'https://0177.0.0.01:PORT/'],
    ['hex IPv4', 'https://0x7f.1:PORT/'],
    ['private', 'https://10.0.0.5/'],
    ['cloud metadata', 'https://169.254.169.254/latest/meta-data/'],
    ['CGNAT', 'https://100.64.1.1/'],
    ['unique-local IPv6', 'https://[fd00::2]/'],
    ['link-local IPv6', 'https://[fe80::1]/'],
    ['multicast', 'https://224.0.0.251/'],
    ['broadcast', 'https://255.255.255.255/'],
  ])('refuses a literal %s address as url_private_address', async (_what, template) => {
    const url = template.replace('PORT', String(port));
    const { error, lookup } = await refusal(url);
    expect(error).toMatchObject({ name: 'UserError', code: 'url_private_address' });
    expect((error as Error).message).toContain(new URL(url).host);
    expect(lookup).not.toHaveBeenCalled();
    expect(connect).not.toHaveBeenCalled();
    expect(server.connections).toBe(0);
  });

  it('refuses a host name that resolves to loopback (localhost) after looking it up once', async () => {
    const { error, lookup } = await refusal(`https://localhost:${port}/x.png`);
    expect(error).toMatchObject({ code: 'url_private_address' });
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(lookup).toHaveBeenCalledWith('localhost', { all: true });
    expect(connect).not.toHaveBeenCalled();
    expect(server.connections).toBe(0);
  });

  it('refuses a name when any one of its addresses is private, even next to a public one', async () => {
    const { lookup, calls } = tableLookup({ 'images.test': ['93.184.216.34', '10.1.2.3'] });
    await expect(fetchRemoteFile('https://images.test/cat.png', { maxBytes: 1024, lookup })).rejects.toMatchObject({
      code: 'url_private_address',
      message: expect.stringContaining('10.1.2.3'),
    });
    expect(calls).toEqual(['images.test']);
    expect(connect).not.toHaveBeenCalled();
  });

  it('refuses a name that resolves to an IPv4-mapped or NAT64 private address', async () => {
    for (const address of ['::ffff:169.254.169.254', '64:ff9b::a00:1', '::1']) {
      const { lookup } = tableLookup({ 'images.test': address });
      await expect(fetchRemoteFile('https://images.test/', { maxBytes: 1024, lookup })).rejects.toMatchObject({
        code: 'url_private_address',
      });
    }
    expect(connect).not.toHaveBeenCalled();
  });

  it('reports a host that does not resolve as url_fetch_failed', async () => {
    const { lookup } = tableLookup({});
    await expect(fetchRemoteFile('https://nowhere.test/cat.png', { maxBytes: 1024, lookup })).rejects.toMatchObject({
      code: 'url_fetch_failed',
      message: expect.stringContaining('nowhere.test'),
    });
    expect(connect).not.toHaveBeenCalled();
  });
});
