import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';

/** Reads Reelsmith's own data or catalog; changes and spends nothing. */
export const READ_ONLY = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
} as const satisfies ToolAnnotations;

/** Starts generation on a provider (Replicate, unless the local animatic is in use): it may cost money. */
export const PAID = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: true,
} as const satisfies ToolAnnotations;

/** Changes a video with local work only (ffmpeg, the database); nothing is paid. */
export const LOCAL_WRITE = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: false,
} as const satisfies ToolAnnotations;
