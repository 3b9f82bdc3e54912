import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { UserError } from '@reelsmith/core';
import { toVideoOutput, videoResourceUri } from '../output/video-output.js';
import type { ServerDeps } from '../server-deps.js';

/** JSON-RPC code for a resource that does not exist (MCP spec). */
const RESOURCE_NOT_FOUND = -32002;
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
      description: 'One of your videos: status, stage, progress, scenes with versions and prompts, cost, links.',
      mimeType: 'application/json',
    },
    async (uri, variables) => {
      const id = String(Array.isArray(variables.id) ? variables.id[0] : variables.id);
      try {
        const view = await service.get(owner, id);
        return {
          contents: [
            { uri: uri.href, mimeType: 'application/json', text: JSON.stringify(toVideoOutput(view), null, 2) },
          ],
        };
      } catch (error) {
        if (error instanceof UserError) throw new McpError(RESOURCE_NOT_FOUND, error.message, { uri: uri.href });
        throw error;
      }
    },
  );
}
