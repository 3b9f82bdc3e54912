import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { UserError } from '@reelsmith/core';
import { z } from 'zod';
import { mediaField, sceneField, videoIdField, waitSecondsField } from '../inputs/fields.js';
import { toAssetSource } from '../inputs/media-input.js';
import type { ServerDeps } from '../server-deps.js';
import { registerVideoTaskTool } from '../tasks/video-task-tool.js';
import { PAID } from './annotations.js';

const SECONDS_MESSAGE = 'use a number of seconds ≥ 0 into the audio track.';
const seconds = () => z.number({ error: SECONDS_MESSAGE }).min(0, { error: SECONDS_MESSAGE }).optional();

/** lipsync_scene: lip-syncs a scene's current clip to the video's audio track (or a new one), then re-stitches. */
export function registerLipsyncSceneTool(server: McpServer, deps: ServerDeps): void {
  registerVideoTaskTool(
    server,
    deps,
    'lipsync_scene',
    {
      title: 'Lip-sync a scene',
      description:
        "Lip-sync one scene's current clip to a segment of the video's audio track (or of the audio given here); the result becomes a new version and the video is re-stitched. Answers at once unless wait_seconds is given.",
      inputSchema: {
        video_id: videoIdField,
        scene: sceneField,
        audio: mediaField
          .optional()
          .describe('Another audio track (https url, or base64 data with mime_type); default the video’s own track.'),
        start_seconds: seconds().describe("Segment start in the track; default the scene's start."),
        end_seconds: seconds().describe("Segment end in the track; default the scene's end."),
        wait_seconds: waitSecondsField,
      },
      annotations: PAID,
    },
    async (args) => {
      const { service, owner } = deps;
      let audioAssetId: string | undefined;
      if (args.audio) {
        const source = toAssetSource(args.audio, 'audio');
        // The video and scene must exist before the track is stored.
        const current = await service.get(owner, args.video_id);
        if (args.scene > current.scenes.length) {
          throw new UserError(
            'scene_out_of_range',
            `Scene ${args.scene} does not exist; this video has scenes 1–${current.scenes.length}.`,
          );
        }
        audioAssetId = (await service.addAsset(owner, source, 'audio')).assetId;
      }
      const view = await service.lipsyncScene(owner, args.video_id, args.scene, {
        ...(audioAssetId ? { audioAssetId } : {}),
        ...(args.start_seconds !== undefined ? { startS: args.start_seconds } : {}),
        ...(args.end_seconds !== undefined ? { endS: args.end_seconds } : {}),
      });
      deps.videoChanged?.(view.videoId);
      return view;
    },
  );
}
