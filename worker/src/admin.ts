import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';

/**
 * The operator dashboard: bull-board over every queue, behind `ADMIN_TOKEN` (HTTP Basic with the
 * token as password, which browsers prompt for, or `Authorization: Bearer <token>`). Every other
 * request gets 401 and reaches nothing.
 */
export function createAdminServer(queues: readonly Queue[], token: string): Server {
  const adapter = new ExpressAdapter();
  adapter.setBasePath('/');
  createBullBoard({ queues: queues.map((queue) => new BullMQAdapter(queue)), serverAdapter: adapter });
  const board = adapter.getRouter() as (req: IncomingMessage, res: ServerResponse) => void;
  return createServer((req, res) => {
    if (!authorized(req.headers.authorization, token)) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="reelsmith"', 'content-type': 'text/plain' });
      res.end('ADMIN_TOKEN required\n');
      return;
    }
    board(req, res);
  });
}

/** True when the header carries the token (Bearer, or as the Basic password), compared in constant time. */
export function authorized(header: string | undefined, token: string): boolean {
  if (!header) return false;
  const [scheme, value = ''] = header.split(' ', 2);
  let given = '';
  if (scheme?.toLowerCase() === 'bearer') given = value;
  else if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    given = decoded.slice(decoded.indexOf(':') + 1);
  }
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
