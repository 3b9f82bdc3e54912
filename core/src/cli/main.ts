#!/usr/bin/env node
import { userInfo } from 'node:os';
import { openReelsmith, type Reelsmith } from '../app.js';
import { ConfigError, loadConfig } from '../config.js';
import { UserError } from '../errors.js';
import { createLogger } from '../log.js';
import { COMMANDS } from './commands/index.js';
import type { CliContext } from './context.js';

/** Exit codes: 0 done, 1 the work failed (or an internal error), 2 bad input or configuration. */
async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(helpText());
    return name ? 0 : 2;
  }
  if (!command) {
    process.stderr.write(`reelsmith: unknown command "${name}". Commands: ${COMMANDS.map((c) => c.name).join(', ')}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n  ${command.summary}\n`);
    return 0;
  }
  let app: Reelsmith | undefined;
  try {
    const config = loadConfig(process.env);
    const log = createLogger({
      level: process.env.LOG_LEVEL ? config.logLevel : 'warn',
      destination: 'stderr',
      secrets: [config.replicate.apiToken, config.llm.apiKey, config.s3?.secretAccessKey],
    });
    const ctx: CliContext = {
      owner: { platform: 'cli', platformUserId: userInfo().username || 'local' },
      stdout: process.stdout,
      stderr: process.stderr,
      open: async () => {
        app ??= await openReelsmith(config, { log });
        return app;
      },
    };
    const stop = () => {
      process.stderr.write('\nreelsmith: interrupted; the video keeps its state (run `reelsmith status <id>`).\n');
      void (app?.close() ?? Promise.resolve()).finally(() => process.exit(130));
    };
    process.once('SIGINT', stop);
    return await command.run(rest, ctx);
  } catch (error) {
    if (error instanceof UserError || error instanceof ConfigError) {
      process.stderr.write(`reelsmith: ${error.message.replace(/\n\s*/g, ' ')}\n`);
      return 2;
    }
    process.stderr.write(`reelsmith: ${(error as Error)?.message ?? String(error)}\n`);
    if (process.env.LOG_LEVEL === 'debug') process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    return 1;
  } finally {
    await app?.close();
  }
}

function helpText(): string {
  const lines = COMMANDS.map((command) => `  ${command.usage}\n      ${command.summary}`);
  return `Reelsmith: prompt → planned, storyboarded, generated, stitched and scored video.\n\nUsage:\n${lines.join('\n')}\n`;
}

process.exitCode = await main(process.argv.slice(2));
