import type { LookupAddress } from 'node:dns';
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { TestCertificate } from '../../src/testing/tls.js';

export { makeCertificate, type TestCertificate } from '../../src/testing/tls.js';

/** What the server saw of one request. */
export interface SeenRequest {
  path: string;
  host: string | undefined;
  servername: string | false;
  /** Resolves once the server-side socket has closed. */
  closed: Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A loopback HTTPS server that counts its TCP connections and records every request. */
export interface TestHttpsServer {
  port: number;
  /** TCP connections accepted so far. */
  readonly connections: number;
  readonly requests: readonly SeenRequest[];
  close(): Promise<void>;
}

/** Starts an HTTPS server on `host` (127.0.0.1 by default; `::` takes IPv4 and IPv6) at `port` (any). */
export async function startHttpsServer(
  certificate: TestCertificate,
  handler: Handler,
  options: { host?: string; port?: number } = {},
): Promise<TestHttpsServer> {
  const server: Server = createServer({ cert: certificate.cert, key: certificate.key });
  const sockets = new Set<Socket>();
  const requests: SeenRequest[] = [];
  let connections = 0;
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => {});
  server.on('secureConnection', (socket: TLSSocket) => socket.on('error', () => {}));
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket as TLSSocket;
    const closed = new Promise<void>((resolve) => {
      if (socket.destroyed) resolve();
      else socket.once('close', () => resolve());
    });
    requests.push({ path: req.url ?? '', host: req.headers.host, servername: socket.servername ?? false, closed });
    res.on('error', () => {});
    handler(req, res);
  });
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    requests,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A lookup spy answering from a fixed table (`images.test` → 127.0.0.1), ENOTFOUND otherwise. */
export function tableLookup(table: Record<string, string | string[]>) {
  const calls: string[] = [];
  const lookup = async (hostname: string, _options: { all: true }): Promise<LookupAddress[]> => {
    calls.push(hostname);
    const entry = table[hostname];
    if (entry === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return (Array.isArray(entry) ? entry : [entry]).map((address) => ({
      address,
      family: address.includes(':') ? 6 : 4,
    }));
  };
  return { lookup, calls };
}

/** The test policy: only 127.0.0.1 may be reached (so a loopback server stands in for the internet). */
export const onlyLoopbackServer = (address: string): boolean => address === '127.0.0.1';
