import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookRelay {
  /** `http://127.0.0.1:PORT/webhooks/replicate`: give it to the workers as REPLICATE_WEBHOOK_URL. */
  readonly url: string;
  /** Worker webhook URLs tried in order; the first that answers 2xx takes the delivery. */
  targets: string[];
  /** How many deliveries each target took. */
  readonly taken: Map<string, number>;
  close(): Promise<void>;
}

/**
 * A stand-in for the load balancer in front of the workers: Replicate's webhook reaches whichever
 * worker is up (here the first live target), body and signature headers passed through untouched.
 */
export async function startWebhookRelay(): Promise<WebhookRelay> {
  const relay: WebhookRelay = { url: '', targets: [], taken: new Map(), close: async () => {} };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const query = new URL(req.url ?? '/', 'http://relay.invalid').search;
    for (const target of relay.targets) {
      try {
        const answer = await fetch(`${target}${query}`, {
          method: 'POST',
          headers: Object.fromEntries(
            ['content-type', 'webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => [
              name,
              String(req.headers[name] ?? ''),
            ]),
          ),
          body,
          signal: AbortSignal.timeout(5000),
        });
        if (answer.ok) {
          relay.taken.set(target, (relay.taken.get(target) ?? 0) + 1);
          res.writeHead(answer.status).end(await answer.text());
          return;
        }
      } catch {}
    }
    res.writeHead(502).end('no worker took it');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  Object.assign(relay, {
    url: `http://127.0.0.1:${port}/webhooks/replicate`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return relay;
}
