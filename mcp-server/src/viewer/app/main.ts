/**
 * The Reelsmith viewer: an MCP App (ext-apps `App`) that the host renders for create_video and
 * get_video. It shows the stitched video, a card per scene, and live progress while the video
 * renders (it calls get_video through the host until `done`). Bundled with its dependencies into
 * video.html by `viewerHtml()`.
 */
import {
  App,
  applyDocumentTheme,
  applyHostFonts,
  applyHostStyleVariables,
} from '@modelcontextprotocol/ext-apps/app-with-deps';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { VIEWER_META_KEY, type ViewerMeta } from '../viewer-meta.js';
import { createMediaSources } from './media-sources.js';
import { createViewerPage } from './page.js';
import type { ViewerVideo } from './video-shape.js';

const POLL_MS = 1500;
const RETRY_MS = 5000;

const app = new App({ name: 'Reelsmith viewer', version: '0.1.0' }, {});
const sources = createMediaSources(
  (uri) => app.readServerResource({ uri }),
  (message) => page.showError(message),
);
const page = createViewerPage(document, sources, regenerate);
let video: ViewerVideo | undefined;
let media: ViewerMeta | undefined;
let poll: ReturnType<typeof setTimeout> | undefined;

function show(result: CallToolResult): void {
  if (result.isError) {
    page.showError(textOf(result) || 'The tool call failed.');
    return;
  }
  const next = result.structuredContent as ViewerVideo | undefined;
  if (!next?.video_id) return;
  video = next;
  media = (result._meta?.[VIEWER_META_KEY] as ViewerMeta | undefined) ?? media;
  page.render(video, media);
  if (!video.done) schedule(POLL_MS);
}

function schedule(ms: number): void {
  clearTimeout(poll);
  poll = setTimeout(() => void refresh(), ms);
}

async function refresh(): Promise<void> {
  if (!video) return;
  try {
    show(await app.callServerTool({ name: 'get_video', arguments: { video_id: video.video_id } }));
  } catch (error) {
    page.showError(`Could not refresh the video: ${error instanceof Error ? error.message : error}`);
    schedule(RETRY_MS);
  }
}

async function regenerate(scene: number, prompt?: string): Promise<string | undefined> {
  if (!video) return 'No video is shown yet.';
  const result = await app.callServerTool({
    name: 'regenerate_scene',
    arguments: { video_id: video.video_id, scene, ...(prompt === undefined ? {} : { prompt }) },
  });
  if (result.isError) return textOf(result) || 'regenerate_scene was refused.';
  show(result);
  return undefined;
}

function applyContext(context: ReturnType<App['getHostContext']>): void {
  if (context?.theme) applyDocumentTheme(context.theme);
  if (context?.styles?.variables) applyHostStyleVariables(context.styles.variables);
  if (context?.styles?.css?.fonts) applyHostFonts(context.styles.css.fonts);
}

function textOf(result: CallToolResult): string {
  return result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
}

app.ontoolresult = (result) => show(result as CallToolResult);
app.ontoolcancelled = ({ reason }) => page.showError(`The tool call was cancelled${reason ? `: ${reason}` : ''}.`);
app.onhostcontextchanged = (context) => applyContext(context);
app.onteardown = async () => {
  clearTimeout(poll);
  return {};
};
app.connect().then(
  () => applyContext(app.getHostContext()),
  (error: unknown) =>
    page.showError(`Could not connect to the host: ${error instanceof Error ? error.message : error}`),
);
