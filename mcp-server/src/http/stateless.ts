import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { ReelsmithMcpServer } from '../server.js';

/**
 * Stateless Streamable HTTP: one server and transport per POST, for this request's bearer-token
 * user, closed when the response ends. No `Mcp-Session-Id` is issued and nothing lives between
 * requests, so any replica can answer any request: videos, events and MCP tasks are all in
 * Postgres (and Redis). Progress notifications of a request still stream on its own response.
 * There is no GET stream (405): nothing can reach the client between its requests.
 */
export async function serveStateless(
  app: ReelsmithMcpServer,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
): Promise<void> {
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => {
    void transport.close();
    void app.close();
  });
  await app.server.connect(transport);
  await transport.handleRequest(req, res, body);
}

/** The answer to a GET or DELETE in stateless mode: there is no stream to open and no session to end. */
export function statelessMethodNotAllowed(res: ServerResponse): void {
  res.writeHead(405, { 'content-type': 'application/json', allow: 'POST, OPTIONS' }).end(
    JSON.stringify({
      jsonrpc: '2.0',
      error: {
        code: -32000,
        message:
          'Method not allowed: this server is stateless (MCP_HTTP_MODE=stateless), so it has no server-to-client stream and no sessions. POST each request; follow long work with get_video or MCP tasks.',
      },
      id: null,
    }),
  );
}
