import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** What the test hands the host page (`window.startHost`): the view and the call that opened it. */
export interface HostStart {
  html: string;
  /** The resource's `_meta.ui.csp`. */
  csp: { resourceDomains?: string[]; connectDomains?: string[] } | undefined;
  toolInput: Record<string, unknown>;
  toolResult: CallToolResult;
}
