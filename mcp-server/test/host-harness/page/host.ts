/**
 * The browser side of the test host: what an MCP Apps host does with a `ui://` resource. It renders
 * the view in a sandboxed iframe (`allow-scripts` only: an opaque origin, unlike this page) with the
 * CSP the spec prescribes for the resource's `_meta.ui.csp`, and speaks the ext-apps postMessage
 * protocol through the library's own host side (`AppBridge`): it answers `ui/initialize` with host
 * context, sends the tool input and result once the view is initialized, and forwards the view's
 * `tools/call` and `resources/read` to the test process, where a real SDK Client calls the server.
 */
import { AppBridge, PostMessageTransport } from '@modelcontextprotocol/ext-apps/app-bridge';
import type {
  CallToolRequest,
  CallToolResult,
  ReadResourceRequest,
  ReadResourceResult,
} from '@modelcontextprotocol/sdk/types.js';
import type { HostStart } from '../host-start.js';

type Csp = HostStart['csp'];

declare global {
  interface Window {
    /** Exposed by the test (playwright `exposeFunction`): the real SDK Client behind this host. */
    hostCallTool(params: CallToolRequest['params']): Promise<CallToolResult>;
    hostReadResource(params: ReadResourceRequest['params']): Promise<ReadResourceResult>;
    startHost(start: HostStart): Promise<void>;
    hostLog: string[];
  }
}

/** The spec's restrictive defaults, opened only for the declared origins (SEP-1865 "Host Behavior"). */
function cspFor(csp: Csp): string {
  const clean = (domains: string[] | undefined) => (domains ?? []).filter((d) => !/[;\r\n'" ]/.test(d)).join(' ');
  const resources = clean(csp?.resourceDomains);
  const connect = clean(csp?.connectDomains);
  return [
    "default-src 'none'",
    `script-src 'self' 'unsafe-inline' ${resources}`,
    `style-src 'self' 'unsafe-inline' ${resources}`,
    `img-src 'self' data: ${resources}`,
    `font-src 'self' ${resources}`,
    `media-src 'self' data: ${resources}`,
    connect ? `connect-src ${connect}` : "connect-src 'none'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'self'",
  ]
    .map((directive) => directive.trim())
    .join('; ');
}

function withCsp(html: string, policy: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${policy.replaceAll('"', '&quot;')}">`;
  return html.replace(/<head[^>]*>/i, (head) => `${head}${meta}`);
}

window.hostLog = [];

window.startHost = async ({ html, csp, toolInput, toolResult }) => {
  const iframe = document.createElement('iframe');
  iframe.id = 'view';
  iframe.setAttribute('sandbox', 'allow-scripts');
  iframe.style.cssText = 'width: 900px; height: 1400px; border: 0';
  const bridge = new AppBridge(
    null,
    { name: 'reelsmith-test-host', version: '0.0.0' },
    { serverTools: {}, serverResources: {}, logging: {} },
    { hostContext: { theme: 'light', displayMode: 'inline', platform: 'web', locale: 'en-US' } },
  );
  bridge.oncalltool = (params) => window.hostCallTool(params);
  bridge.onreadresource = (params) => window.hostReadResource(params);
  bridge.onloggingmessage = (params) => window.hostLog.push(`log: ${JSON.stringify(params.data)}`);
  bridge.onsizechange = ({ height }) => {
    if (height) iframe.style.height = `${height}px`;
  };
  const initialized = new Promise<void>((resolve) => {
    bridge.oninitialized = () => resolve();
  });
  // Listen before the view loads: its first message (ui/initialize) goes out as its script runs.
  document.body.append(iframe);
  const view = iframe.contentWindow;
  if (!view) throw new Error('the view iframe has no window');
  await bridge.connect(new PostMessageTransport(view, view));
  iframe.srcdoc = withCsp(html, cspFor(csp));
  await initialized;
  await bridge.sendToolInput({ arguments: toolInput });
  await bridge.sendToolResult(toolResult);
  window.hostLog.push('tool result sent');
};
