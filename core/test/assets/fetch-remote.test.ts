import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FetchRemoteFileOptions, fetchRemoteFile } from '../../src/assets/fetch-remote.js';
import {
  type Handler,
  makeCertificate,
  onlyLoopbackServer,
  startHttpsServer,
  type TestCertificate,
  type TestHttpsServer,
  tableLookup,
} from './https-fixture.js';

const BODY = Buffer.from('pretend this is a picture');
const MiB = 1024 * 1024;

/** Streams 64 KiB chunks (chunked encoding) until the client goes away; records how much was written. */
function endlessBody(res: Parameters<Handler>[1], written: { bytes: number }): void {
  const chunk = Buffer.alloc(64 * 1024, 7);
  const pump = (): void => {
    while (!res.destroyed) {
      written.bytes += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
  };
  res.writeHead(200, { 'content-type': 'image/png' });
  pump();
}

describe('fetchRemoteFile over real TLS on loopback', () => {
  let certificate: TestCertificate;
  let server: TestHttpsServer;
  let decoy: TestHttpsServer;
  const streamed = { bytes: 0 };
  const authorizations: Array<{ host: string | undefined; authorization: string | undefined }> = [];
  const routes: Record<string, Handler> = {
    '/photos/red%20car.png?size=big': (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/PNG; charset=binary', 'content-length': BODY.length });
      res.end(BODY);
    },
    '/missing.png': (_req, res) => {
      res.writeHead(404);
      res.end('not here');
    },
    '/hop1': (_req, res) => redirect(res, '/hop2'),
    '/hop2': (_req, res) => redirect(res, `https://cdn.test:${server.port}/hop3`),
    '/hop3': (_req, res) => redirect(res, '/final/photo.png'),
    '/hop0': (_req, res) => redirect(res, '/hop1'),
    '/final/photo.png': (_req, res) => res.end(BODY),
    '/private/photo.png': (req, res) => {
      authorizations.push({ host: req.headers.host, authorization: req.headers.authorization });
      res.end(BODY);
    },
    '/private/elsewhere': (req, res) => {
      authorizations.push({ host: req.headers.host, authorization: req.headers.authorization });
      redirect(res, `https://cdn.test:${server.port}/private/photo.png`);
    },
    '/to-private': (_req, res) => redirect(res, `https://internal.test:${server.port}/secret`),
    '/to-metadata': (_req, res) => redirect(res, 'https://169.254.169.254/latest/meta-data/'),
    '/to-http': (_req, res) => redirect(res, `http://images.test:${server.port}/final/photo.png`),
    '/huge-declared': (_req, res) => {
      res.writeHead(200, { 'content-length': 60 * MiB });
      res.write(Buffer.alloc(1024));
    },
    '/huge-chunked': (_req, res) => endlessBody(res, streamed),
    '/slow-headers': () => {},
    '/slow-body': (_req, res) => {
      res.writeHead(200, { 'content-length': 1000 });
      res.write(Buffer.alloc(10));
    },
  };

  beforeAll(async () => {
    certificate = makeCertificate();
    const handler: Handler = (req, res) => {
      const route = routes[req.url ?? ''];
      if (route) route(req, res);
      else {
        res.writeHead(500);
        res.end();
      }
    };
    server = await startHttpsServer(certificate, handler);
    decoy = await startHttpsServer(certificate, (_req, res) => res.end('internal secret'), {
      host: '127.0.0.2',
      port: server.port,
    });
  });
  afterAll(async () => {
    await server?.close();
    await decoy?.close();
  });

  function options(extra: Partial<FetchRemoteFileOptions> = {}): FetchRemoteFileOptions {
    const { lookup } = tableLookup({
      'images.test': '127.0.0.1',
      'cdn.test': '127.0.0.1',
      'internal.test': '127.0.0.2',
    });
    return { maxBytes: MiB, lookup, isAllowedAddress: onlyLoopbackServer, ca: certificate.cert, ...extra };
  }
  const at = (path: string, host = 'images.test') => `https://${host}:${server.port}${path}`;

  it('downloads a file, naming it from the URL path and sending SNI and Host for the host name', async () => {
    const file = await fetchRemoteFile(at('/photos/red%20car.png?size=big'), options());
    expect(Buffer.from(file.bytes).equals(BODY)).toBe(true);
    expect(file).toMatchObject({
      filename: 'red_car.png',
      contentType: 'image/png',
      finalUrl: at('/photos/red%20car.png?size=big'),
    });
    const seen = server.requests.at(-1);
    expect(seen?.host).toBe(`images.test:${server.port}`);
    expect(seen?.servername).toBe('images.test');
  });

  it('verifies the certificate: without the test CA the download fails as url_fetch_failed', async () => {
    await expect(
      fetchRemoteFile(at('/photos/red%20car.png?size=big'), options({ ca: undefined })),
    ).rejects.toMatchObject({ code: 'url_fetch_failed', message: expect.stringContaining('certificate') });
  });

  it('reports a 404 as url_fetch_failed with the status', async () => {
    await expect(fetchRemoteFile(at('/missing.png'), options())).rejects.toMatchObject({
      code: 'url_fetch_failed',
      details: { status: 404 },
      message: expect.stringContaining(at('/missing.png')),
    });
  });

  it('follows three redirects, relative and across hosts, and names the file from the final URL', async () => {
    const file = await fetchRemoteFile(at('/hop1'), options());
    expect(file.finalUrl).toBe(at('/final/photo.png', 'cdn.test'));
    expect(file.filename).toBe('photo.png');
    expect(Buffer.from(file.bytes).equals(BODY)).toBe(true);
  });

  it('sends an Authorization header to the first host only, never to a redirect target elsewhere', async () => {
    authorizations.length = 0;
    await fetchRemoteFile(at('/private/photo.png'), options({ authorization: 'Bearer xoxb-test' }));
    await fetchRemoteFile(at('/private/elsewhere'), options({ authorization: 'Bearer xoxb-test' }));
    expect(authorizations).toEqual([
      { host: `images.test:${server.port}`, authorization: 'Bearer xoxb-test' },
      { host: `images.test:${server.port}`, authorization: 'Bearer xoxb-test' },
      { host: `cdn.test:${server.port}`, authorization: undefined },
    ]);
  });

  it('refuses a fourth redirect', async () => {
    await expect(fetchRemoteFile(at('/hop0'), options())).rejects.toMatchObject({ code: 'url_too_many_redirects' });
  });

  it('re-checks every redirect target: a private address, cloud metadata or plain http is refused', async () => {
    const before = decoy.connections;
    await expect(fetchRemoteFile(at('/to-private'), options())).rejects.toMatchObject({
      code: 'url_private_address',
      message: expect.stringContaining('internal.test'),
    });
    await expect(fetchRemoteFile(at('/to-metadata'), options())).rejects.toMatchObject({
      code: 'url_private_address',
    });
    await expect(fetchRemoteFile(at('/to-http'), options())).rejects.toMatchObject({ code: 'url_not_https' });
    expect(decoy.connections).toBe(before);
  });

  it('refuses a Content-Length over the cap before reading the body, and closes the connection', async () => {
    await expect(fetchRemoteFile(at('/huge-declared'), options())).rejects.toMatchObject({
      code: 'file_too_large',
      details: { maxBytes: MiB },
      message: expect.stringContaining('1 MiB'),
    });
    await server.requests.at(-1)?.closed;
  });

  it('aborts a chunked body as soon as it passes the cap, and closes the connection', async () => {
    await expect(fetchRemoteFile(at('/huge-chunked'), options())).rejects.toMatchObject({ code: 'file_too_large' });
    await server.requests.at(-1)?.closed;
    const written = streamed.bytes;
    expect(written).toBeGreaterThan(MiB);
    expect(written).toBeLessThan(16 * MiB);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(streamed.bytes).toBe(written);
  });

  it('gives up on a server that never answers as url_timeout, and closes the connection', async () => {
    await expect(fetchRemoteFile(at('/slow-headers'), options({ timeoutMs: 300 }))).rejects.toMatchObject({
      code: 'url_timeout',
      details: { timeoutMs: 300 },
    });
    await server.requests.at(-1)?.closed;
  });

  it('gives up on a body that stalls as url_timeout', async () => {
    await expect(fetchRemoteFile(at('/slow-body'), options({ timeoutMs: 300 }))).rejects.toMatchObject({
      code: 'url_timeout',
    });
  });

  it('gives up on a server that accepts TCP but never completes the TLS handshake', async () => {
    const silent: TcpServer = createTcpServer(() => {});
    const held: Socket[] = [];
    silent.on('connection', (socket: Socket) => held.push(socket));
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const url = `https://images.test:${(silent.address() as AddressInfo).port}/x.png`;
    try {
      await expect(fetchRemoteFile(url, options({ timeoutMs: 300 }))).rejects.toMatchObject({ code: 'url_timeout' });
      expect(held).toHaveLength(1);
    } finally {
      for (const socket of held) socket.destroy();
      silent.close();
    }
  });

  it('rejects with the caller’s abort reason, not a UserError, when cancelled', async () => {
    const controller = new AbortController();
    const pending = fetchRemoteFile(at('/slow-headers'), options({ signal: controller.signal }));
    setTimeout(() => controller.abort(new Error('user cancelled')), 50);
    await expect(pending).rejects.toThrow('user cancelled');
  });

  describe('DNS rebinding', () => {
    it('connects to the address it checked, even if the name would resolve elsewhere on a second query', async () => {
      const answers = ['127.0.0.1', '127.0.0.2'];
      const calls: string[] = [];
      const rebinding = async (hostname: string) => {
        calls.push(hostname);
        const address = answers[Math.min(calls.length - 1, answers.length - 1)] ?? '127.0.0.2';
        return [{ address, family: 4 }];
      };
      const [servedBefore, decoyBefore] = [server.connections, decoy.connections];
      const file = await fetchRemoteFile(at('/final/photo.png'), options({ lookup: rebinding }));
      expect(Buffer.from(file.bytes).equals(BODY)).toBe(true);
      expect(calls).toEqual(['images.test']);
      expect(server.connections).toBe(servedBefore + 1);
      expect(decoy.connections).toBe(decoyBefore);
    });

    it('refuses when the checked answer is private, even if a later answer would be allowed', async () => {
      const answers = ['127.0.0.2', '127.0.0.1'];
      let call = 0;
      const rebinding = async () => [{ address: answers[Math.min(call++, 1)] ?? '127.0.0.2', family: 4 }];
      const [servedBefore, decoyBefore] = [server.connections, decoy.connections];
      await expect(fetchRemoteFile(at('/final/photo.png'), options({ lookup: rebinding }))).rejects.toMatchObject({
        code: 'url_private_address',
      });
      expect(call).toBe(1);
      expect(server.connections).toBe(servedBefore);
      expect(decoy.connections).toBe(decoyBefore);
    });
  });
});

function redirect(res: Parameters<Handler>[1], location: string): void {
  res.writeHead(302, { location });
  res.end();
}
