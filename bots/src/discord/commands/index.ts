import type { ModelInfo } from '@reelsmith/core';
import type { Command } from '../context.js';
import { videoCommand } from './video.js';

/** Every command of the bot, registered by hand. */
export function commands(models: readonly ModelInfo[]): Command[] {
  return [videoCommand(models)];
}
