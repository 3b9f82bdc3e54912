import { parseCommandArgs } from '../args.js';
import type { CliCommand } from '../context.js';
import { generate } from './generate.js';

export const DEMO_PROMPT =
  'A sleek matte-black wireless headphone on a white marble pedestal, premium product ad with soft studio light';

const demoUsage = 'reelsmith demo [--json]';
export const demoCommand: CliCommand = {
  name: 'demo',
  usage: demoUsage,
  summary: 'generate a built-in 15 s product ad (an animatic preview when no Replicate token is set)',
  async run(argv, ctx) {
    const parsed = parseCommandArgs(argv, {}, demoUsage);
    if (!parsed.values.json) ctx.stderr.write(`Demo: "${DEMO_PROMPT}" (15 s)\n`);
    return generate(ctx, { prompt: DEMO_PROMPT, durationS: 15 }, {}, parsed.values.json === true);
  },
};
