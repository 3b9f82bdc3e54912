/**
 * The baseline of bench/mcp-cold-start.ts, not a product entry point: the stdio MCP server started
 * the way it was before the database opened in the background — open and migrate the app first,
 * then connect the transport (so `initialize` waits for the database). Its one argument is the
 * data folder; it reads no environment, so the baseline's configuration is exactly what the bench
 * gives the real server (`DATA_DIR`, `LOG_LEVEL=warn`).
 *
 *   node --import tsx bench/mcp-eager-server.ts DATA_DIR
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { openReelsmith } from '../core/src/app.js';
import { loadConfig } from '../core/src/config.js';
import { createLogger } from '../core/src/log.js';
import { localUserId, mcpOwner } from '../mcp-server/src/identity.js';
import { createServer } from '../mcp-server/src/server.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: node --import tsx bench/mcp-eager-server.ts DATA_DIR');
const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
const log = createLogger({ level: config.logLevel, destination: 'stderr', name: 'reelsmith-mcp-eager' });
const app = await openReelsmith(config, { log });
const mcp = createServer({ service: app.service, log, owner: mcpOwner(localUserId(config.mcp.userId)) });
await mcp.server.connect(new StdioServerTransport());
process.stdin.once('end', async () => {
  await mcp.close();
  await app.close();
});
