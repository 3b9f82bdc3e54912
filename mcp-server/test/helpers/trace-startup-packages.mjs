// Loads what the stdio server loads before it answers `initialize` (bin → tsx → main.ts's static
// graph, without running main) under package-trace-hooks.mjs. Usage: node trace-startup-packages.mjs
import { register } from 'node:module';

register(new URL('./package-trace-hooks.mjs', import.meta.url));
const { register: registerTsx } = await import('tsx/esm/api');
registerTsx();
await import('../../src/startup/lazy-server.ts');
await import('@modelcontextprotocol/sdk/server/stdio.js');
