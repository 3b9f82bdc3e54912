import type { CliCommand } from '../context.js';
import { estimateCommand, flavorsCommand, modelsCommand, planCommand } from './catalog.js';
import { demoCommand } from './demo.js';
import { generateCommand } from './generate.js';
import { cancelCommand, regenerateCommand, statusCommand, stitchCommand } from './video.js';

/** Every CLI command, in help order. */
export const COMMANDS: readonly CliCommand[] = [
  generateCommand,
  planCommand,
  statusCommand,
  regenerateCommand,
  stitchCommand,
  cancelCommand,
  modelsCommand,
  flavorsCommand,
  estimateCommand,
  demoCommand,
];
