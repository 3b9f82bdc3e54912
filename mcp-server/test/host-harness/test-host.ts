import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { RESOURCE_MIME_TYPE } from '@modelcontextprotocol/ext-apps/app-bridge';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolRequest, CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { build } from 'esbuild';
import { type Browser, chromium, type Frame, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { HostStart } from './host-start.js';

/** Debian's Chromium (`apt-get install chromium`); never a downloaded browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
const HOST_ENTRY = fileURLToPath(new URL('./page/host.ts', import.meta.url));

export interface OpenedView {
  page: Page;
  /** The view's frame (the sandboxed iframe). */
  view: Frame;
  /** Every `tools/call` the view sent through the host, in order. */
  calls: Array<CallToolRequest['params']>;
  /** Every `resources/read` uri the view sent through the host. */
  reads: string[];
  /** Console lines and page errors of the host page and the view, for failure messages. */
  logs: string[];
  close(): Promise<void>;
}

export interface TestHost {
  /**
   * Does what a host does when the model calls `tool`: finds its `_meta.ui.resourceUri`, reads
   * the resource, calls the tool, renders the view in a page and hands it the input and result.
   */
  open(client: Client, tool: string, args: Record<string, unknown>): Promise<OpenedView>;
  close(): Promise<void>;
}

/** Headless Chromium plus a host page served over loopback (`page/host.ts`, bundled with esbuild). */
export async function startTestHost(): Promise<TestHost> {
  const bundle = await build({
    entryPoints: [HOST_ENTRY],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
  });
  const script = (bundle.outputFiles[0]?.text ?? '').replace(/<\/(script)/gi, '<\\/$1');
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>test host</title></head><body><script>${script}</script></body></html>`;
  const server: Server = createServer((req, res) => {
    if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    else res.writeHead(404).end();
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('test host has no port');
  const hostUrl = `http://127.0.0.1:${address.port}/`;
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });

  return {
    async open(client, tool, args) {
      const listed = (await client.listTools()).tools.find((candidate) => candidate.name === tool);
      const uri = (listed?._meta?.ui as { resourceUri?: string } | undefined)?.resourceUri;
      expect(uri, `${tool} links no ui:// resource`).toMatch(/^ui:\/\//);
      const resource = (await client.readResource({ uri: uri ?? '' })).contents[0];
      expect(resource?.mimeType).toBe(RESOURCE_MIME_TYPE);
      const start: HostStart = {
        html: resource && 'text' in resource ? resource.text : '',
        csp: (resource?._meta?.ui as { csp?: HostStart['csp'] } | undefined)?.csp,
        toolInput: args,
        toolResult: (await client.callTool({ name: tool, arguments: args })) as CallToolResult,
      };
      const page = await browser.newPage();
      const calls: OpenedView['calls'] = [];
      const reads: string[] = [];
      const logs: string[] = [];
      page.on('console', (message) => logs.push(`${message.type()}: ${message.text()}`));
      page.on('pageerror', (error) => logs.push(`pageerror: ${error.message}`));
      await page.exposeFunction('hostCallTool', (params: CallToolRequest['params']) => {
        calls.push(params);
        return client.callTool(params, undefined, { timeout: 90_000 });
      });
      await page.exposeFunction('hostReadResource', (params: { uri: string }) => {
        reads.push(params.uri);
        return client.readResource(params);
      });
      await page.goto(hostUrl);
      await page.evaluate(
        (value) => (globalThis as unknown as { startHost(start: HostStart): Promise<void> }).startHost(value),
        start,
      );
      const view = page.frames().find((frame) => frame.parentFrame() === page.mainFrame());
      if (!view) throw new Error(`the host rendered no view frame: ${logs.join('\n')}`);
      return { page, view, calls, reads, logs, close: () => page.close() };
    },
    async close() {
      await browser.close();
      server.close();
    },
  };
}
