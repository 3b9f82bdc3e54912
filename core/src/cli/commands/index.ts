import type { CliCommand } from '../context.js';
import { approveCommand } from './approve.js';
import { assetsCommand } from './assets.js';
import { estimateCommand, flavorsCommand, modelsCommand, planCommand } from './catalog.js';
import { demoCommand } from './demo.js';
import { generateCommand } from './generate.js';
import { lipsyncCommand } from './lipsync.js';
import { renderCommand } from './render.js';
import { storageCommand } from './storage.js';
import { cancelCommand, regenerateCommand, statusCommand, stitchCommand } from './video.js';

/** Every CLI command, in help order. */
export const COMMANDS: readonly CliCommand[] = [
  generateCommand,
  planCommand,
  statusCommand,
  regenerateCommand,
  lipsyncCommand,
  stitchCommand,
  approveCommand,
  renderCommand,
  cancelCommand,
  assetsCommand,
  modelsCommand,
  flavorsCommand,
  estimateCommand,
  storageCommand,
  demoCommand,
];
