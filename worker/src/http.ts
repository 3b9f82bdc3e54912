import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * The worker's small HTTP surface: `GET /healthz` (the process is up), `GET /readyz` (Redis and
 * Postgres answer and the workers run: 200, else 503 with what is wrong), and any extra routes
 * (the Replicate webhook). Everything else is 404.
 */
export function createHttpServer(options: {
  ready: () => Promise<{ ok: boolean; problems: string[] }>;
  routes?: Record<string, Route>;
}): Server {
  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://worker.invalid').pathname;
    if (req.method === 'GET' && path === '/healthz') return json(res, 200, { ok: true });
    if (req.method === 'GET' && path === '/readyz') {
      options.ready().then(
        (state) => json(res, state.ok ? 200 : 503, state),
        (error: unknown) => json(res, 503, { ok: false, problems: [String((error as Error)?.message ?? error)] }),
      );
      return;
    }
    const route = options.routes?.[path];
    if (route) {
      Promise.resolve(route(req, res)).catch(() => {
        if (!res.headersSent) json(res, 500, { error: 'internal' });
      });
      return;
    }
    json(res, 404, { error: 'not_found' });
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Listens on `port` (0 = any free port) and resolves with the port it got. */
export function listen(server: Server, port: number, host = '0.0.0.0'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
