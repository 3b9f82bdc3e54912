#!/usr/bin/env node
// The `reelsmith-mcp` command: runs the TypeScript MCP server through tsx, so no build step is needed.
// `reelsmith-mcp` speaks MCP on stdio; `reelsmith-mcp http` serves Streamable HTTP.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
