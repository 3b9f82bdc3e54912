import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { toVideoOutput, videoResourceUri } from '../output/video-output.js';
import type { ServerDeps } from '../server-deps.js';
import { asResourceRequest } from './resource-errors.js';

const LISTED_VIDEOS = 100;

/**
 * `reelsmith://videos/{id}`: the owner's videos as JSON (the same shape get_video returns), listed
 * newest first. Another owner's id reads as not found.
 */
export function registerVideoResources(server: McpServer, deps: ServerDeps): void {
  const { service, owner } = deps;
  server.registerResource(
    'video',
    new ResourceTemplate('reelsmith://videos/{id}', {
      list: async () => ({
        resources: (await service.list(owner, { limit: LISTED_VIDEOS })).map((video) => ({
          uri: videoResourceUri(video.videoId),
          name: `video-${video.videoId}`,
          title: video.prompt.length > 80 ? `${video.prompt.slice(0, 77)}…` : video.prompt,
          description: `${video.status}, ${video.durationS} s, created ${video.createdAt}`,
          mimeType: 'application/json',
        })),
      }),
    }),
    {
      title: 'Reelsmith video',
      description:
        'One of your videos: status, stage, progress, scenes with versions and prompts, cost, links. Subscribe to it (resources/subscribe) to hear of every change.',
      mimeType: 'application/json',
    },
    (uri, variables) =>
      asResourceRequest(uri.href, async () => {
        const id = String(Array.isArray(variables.id) ? variables.id[0] : variables.id);
        const view = await service.get(owner, id);
        return {
          contents: [
            { uri: uri.href, mimeType: 'application/json', text: JSON.stringify(toVideoOutput(view), null, 2) },
          ],
        };
      }),
  );
}
