import type { JsonObject } from '../db/schema.js';
import type { Origin } from './types.js';

const text = (value: unknown): value is string => typeof value === 'string' && value !== '';

/**
 * Where a stored origin asked for its video (platform, workspace or guild, channel, upload limit),
 * without what a front recorded there since (message ids, thread ids, uploads…). A video made from
 * another one (a render of a preview) starts from this, so it gets messages of its own instead of
 * editing the other video's. Null for an origin that names no place a front could deliver to.
 */
export function placeOfOrigin(stored: JsonObject | null | undefined): Origin | null {
  if (!stored) return null;
  if (stored.platform === 'discord' && text(stored.channelId)) {
    return {
      platform: 'discord',
      channelId: stored.channelId,
      ...(text(stored.guildId) ? { guildId: stored.guildId } : {}),
      ...(typeof stored.uploadLimitBytes === 'number' ? { uploadLimitBytes: stored.uploadLimitBytes } : {}),
    };
  }
  if (stored.platform === 'slack' && text(stored.teamId) && text(stored.channelId)) {
    return { platform: 'slack', teamId: stored.teamId, channelId: stored.channelId };
  }
  if (stored.platform === 'mcp' || stored.platform === 'cli') return { platform: stored.platform };
  return null;
}
