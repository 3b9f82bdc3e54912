import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createLogger, type VideoService } from '@reelsmith/core';
import { mcpOwner } from '../../src/identity.js';
import { createServer, type ServerDeps } from '../../src/server.js';

export interface ConnectedClient {
  client: Client;
  close(): Promise<void>;
}

/** The SDK's real Client talking to `createServer` for `userId` over a linked in-memory pair; `deps` adds to the server's. */
export async function connectInMemory(
  service: VideoService,
  userId: string,
  deps: Partial<ServerDeps> = {},
): Promise<ConnectedClient> {
  const app = createServer({
    service,
    log: createLogger({ level: 'silent' }),
    owner: mcpOwner(userId),
    pollIntervalMs: 200,
    ...deps,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await app.server.connect(serverSide);
  const client = new Client({ name: 'reelsmith-test', version: '0.0.0' });
  await client.connect(clientSide);
  return {
    client,
    async close() {
      await client.close();
      await app.close();
    },
  };
}
