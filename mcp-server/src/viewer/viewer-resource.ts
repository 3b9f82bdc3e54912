import { RESOURCE_MIME_TYPE, RESOURCE_URI_META_KEY, registerAppResource } from '@modelcontextprotocol/ext-apps/server';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { viewerHtml } from './view-html.js';
import type { ViewerMedia } from './viewer-media.js';

/** The viewer's `ui://` resource (MCP Apps), linked from create_video and get_video. */
export const VIEWER_URI = 'ui://reelsmith/video.html';

/**
 * `_meta` of a tool whose results the host shows in the viewer: `ui.resourceUri`, and the legacy
 * `ui/resourceUri` key older hosts read (what ext-apps' `registerAppTool` adds), so task tools,
 * which register through the SDK's `registerToolTask`, carry exactly what app tools carry.
 */
export const VIEWER_TOOL_META = { ui: { resourceUri: VIEWER_URI }, [RESOURCE_URI_META_KEY]: VIEWER_URI };

/**
 * Registers `ui://reelsmith/video.html` (`text/html;profile=mcp-app`): the viewer, with a CSP that
 * declares the origins `media` loads files from as `resourceDomains` (none over stdio, where media
 * arrive as `resources/read` blobs played as `data:` URLs). A `ui://` uri that is not registered is
 * refused by the SDK ("Resource … not found").
 */
export function registerViewerResource(server: McpServer, media: ViewerMedia): void {
  const meta = { ui: { csp: { resourceDomains: [...media.origins] }, prefersBorder: true } };
  registerAppResource(
    server,
    'Reelsmith video viewer',
    VIEWER_URI,
    {
      title: 'Reelsmith video viewer',
      description:
        'The video in a player, a card per scene (clip, prompt, version, cost) with Regenerate and Edit prompt, and live progress while it renders.',
      _meta: meta,
    },
    async () => ({
      contents: [{ uri: VIEWER_URI, mimeType: RESOURCE_MIME_TYPE, text: await viewerHtml(), _meta: meta }],
    }),
  );
}
