import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { UserError } from '@reelsmith/core';
import type { ServerDeps } from '../server-deps.js';
import { findMediaFile } from '../viewer/media-files.js';
import { asResourceRequest } from './resource-errors.js';

/** The largest file read as a blob (base64 grows it by a third, and it all travels in one message). */
export const MAX_BLOB_BYTES = 64 * 1024 * 1024;

/**
 * `reelsmith://videos/{id}/files/{name}`: one current file of one of the owner's videos (a scene's
 * clip or storyboard, the take, the final video; names as `mediaFilesOf`) as a base64 `blob` with
 * its mimeType. This is how the viewer gets media over stdio, where there is no URL it could load.
 * Not listed (there are many); another owner's video, an unknown or replaced name read as not found.
 */
export function registerVideoFileResources(server: McpServer, deps: ServerDeps): void {
  const { service, owner } = deps;
  server.registerResource(
    'video-file',
    new ResourceTemplate('reelsmith://videos/{id}/files/{name}', { list: undefined }),
    {
      title: 'A file of a Reelsmith video',
      description: "One current file of one of your videos (a scene's clip or storyboard, a take), as a base64 blob.",
    },
    (uri, variables) =>
      asResourceRequest(uri.href, async () => {
        const id = String(Array.isArray(variables.id) ? variables.id[0] : variables.id);
        const name = decodeURIComponent(String(Array.isArray(variables.name) ? variables.name[0] : variables.name));
        const view = await service.get(owner, id);
        const media = findMediaFile(view, name);
        if (!media) {
          throw new UserError(
            'not_found',
            `Video ${id} has no current file ${name}: read reelsmith://videos/${id} (or call get_video) for its files.`,
          );
        }
        const read = await service.delivery.file(id, media.file.key, MAX_BLOB_BYTES);
        if ('tooLarge' in read) {
          throw new UserError(
            'file_too_large',
            `${name} is larger than ${MAX_BLOB_BYTES / 1024 / 1024} MiB, too large to read through MCP: open its link from get_video instead.`,
          );
        }
        return { contents: [{ uri: uri.href, mimeType: media.mimeType, blob: read.bytes.toString('base64') }] };
      }),
  );
}
