import { createHash, randomUUID } from 'node:crypto';

/**
 * A UUID derived from `cause` (SHA-1, version-5 layout), so one cause always gets the same id; a
 * random one without a cause. Event ids double as BullMQ job ids: no `:`, never all digits.
 */
export function eventIdFor(cause: string | undefined): string {
  if (cause === undefined) return randomUUID();
  const bytes = createHash('sha1').update(`reelsmith-event:${cause}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
