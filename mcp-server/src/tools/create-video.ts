import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { mediaField, waitSecondsField } from '../inputs/fields.js';
import { toAssetSource } from '../inputs/media-input.js';
import { pairImageIds, pairsFields, pairsRequestShape, pendingPairIds } from '../inputs/pairs-request.js';
import { toCreateRequest, videoRequestShape } from '../inputs/video-request.js';
import type { ServerDeps } from '../server-deps.js';
import { registerVideoTaskTool } from '../tasks/video-task-tool.js';
import { PAID } from './annotations.js';

/**
 * create_video: validates everything first (request, then the media, then stores the media like an
 * upload), creates the video and answers at once with its id and status; the work runs in the
 * background. With `wait_seconds` it answers when the video is done or the time is up, sending
 * progress notifications meanwhile. Hosts with MCP Apps show the result in the viewer.
 */
export function registerCreateVideoTool(server: McpServer, deps: ServerDeps): void {
  registerVideoTaskTool(
    server,
    deps,
    'create_video',
    {
      title: 'Create a video',
      description:
        'Plan, storyboard, generate, stitch and score a video. Answers at once with video_id and status (generation takes minutes): follow it with get_video, or pass wait_seconds (≤ 50) to wait with progress notifications. Files come back as resource links. Check the price first with estimate_cost.',
      inputSchema: {
        ...videoRequestShape,
        image: mediaField
          .optional()
          .describe(
            'Reference image (PNG, JPEG or WebP, ≤ 10 MiB, ≤ 4096×4096 px): https url, or base64 data with mime_type. It conditions the storyboard and becomes scene 1.',
          ),
        audio: mediaField
          .optional()
          .describe(
            'Audio track (mp3, wav, m4a, ogg; ≤ 50 MiB) scenes can be lip-synced to: https url, or base64 data with mime_type.',
          ),
        character_reference_id: z
          .string()
          .optional()
          .describe('An asset_id from create_character_references: every storyboard frame shows that character.'),
        ...pairsRequestShape,
        idempotency_key: z
          .string()
          .min(1)
          .max(200)
          .optional()
          .describe('Send the same key when retrying a call whose answer was lost: the video is created once.'),
        preview: z
          .boolean()
          .optional()
          .describe(
            'true: a free local animatic preview (labelled a preview) whatever the provider; pay for it later with render_video.',
          ),
        wait_seconds: waitSecondsField,
      },
      annotations: PAID,
      viewer: true,
    },
    async (args) => {
      const { service, owner } = deps;
      const request = toCreateRequest(args);
      // Refuse a bad request before any file is downloaded or stored.
      await service.estimate({
        ...request,
        ...(args.image ? { imageAssetId: 'pending' } : {}),
        ...pairsFields(args, pendingPairIds(args)),
      });
      const pairImages = args.mode === 'image_pairs' ? await pairImageIds(service, owner, args) : [];
      const imageSource = args.image ? toAssetSource(args.image, 'image') : undefined;
      const audioSource = args.audio ? toAssetSource(args.audio, 'audio') : undefined;
      const image = imageSource ? await service.addAsset(owner, imageSource, 'image') : undefined;
      const audio = audioSource ? await service.addAsset(owner, audioSource, 'audio') : undefined;
      const view = await service.create(
        owner,
        {
          ...request,
          ...(image ? { imageAssetId: image.assetId } : {}),
          ...(audio ? { audioAssetId: audio.assetId } : {}),
          ...pairsFields(args, pairImages),
          ...(args.character_reference_id ? { characterReferenceAssetId: args.character_reference_id } : {}),
        },
        {
          origin: { platform: 'mcp' },
          ...(args.idempotency_key ? { idempotencyKey: args.idempotency_key } : {}),
          ...(args.preview ? { preview: true } : {}),
        },
      );
      server.sendResourceListChanged();
      return view;
    },
  );
}
