#!/usr/bin/env node
import { userInfo } from 'node:os';
import { openCatalog, openReelsmith, openStorageAdmin, type Reelsmith } from '../app.js';
import { ConfigError, loadConfig } from '../config.js';
import { UserError } from '../errors.js';
import { createLogger } from '../log.js';
import type { ProviderName } from '../providers/types.js';
import type { CatalogService } from '../service/catalog.js';
import type { StorageAdmin } from '../service/storage-admin.js';
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
  let storageAdmin: StorageAdmin | undefined;
  try {
    const { provider, args } = takeProviderOption(rest);
    const config = loadConfig(process.env);
    const log = createLogger({
      level: process.env.LOG_LEVEL ? config.logLevel : 'warn',
      destination: 'stderr',
      name: 'reelsmith',
      ...(config.logFormat === 'json'
        ? { pretty: false }
        : config.logFormat === 'pretty'
          ? { pretty: true }
          : { format: 'short' as const }),
      secrets: [config.replicate.apiToken, config.llm.apiKey, config.s3?.secretAccessKey],
    });
    let catalog: CatalogService | undefined;
    const ctx: CliContext = {
      owner: { platform: 'cli', platformUserId: userInfo().username || 'local' },
      stdout: process.stdout,
      stderr: process.stderr,
      open: async () => {
        app ??= await openReelsmith(config, { log, ...(provider ? { provider } : {}) });
        return app;
      },
      catalog: () => {
        catalog ??= openCatalog(config, { log, ...(provider ? { provider } : {}) });
        return catalog;
      },
      storageAdmin: async () => {
        storageAdmin ??= await openStorageAdmin(config, { log });
        return storageAdmin;
      },
    };
    const stop = () => {
      process.stderr.write(
        app?.runner === 'queue'
          ? '\nreelsmith: stopped following; the video goes on on the workers (`reelsmith status <id>`).\n'
          : '\nreelsmith: interrupted; the video stops here and keeps what it finished (`reelsmith status <id>`).\n',
      );
      void (app?.close() ?? Promise.resolve()).finally(() => process.exit(130));
    };
    process.once('SIGINT', stop);
    return await command.run(args, ctx);
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
    await storageAdmin?.close();
  }
}

/** `--provider animatic|replicate` works with every command: it overrides the automatic choice. */
function takeProviderOption(argv: readonly string[]): { provider?: ProviderName; args: string[] } {
  const args = [...argv];
  const at = args.findIndex((arg) => arg === '--provider' || arg.startsWith('--provider='));
  if (at === -1) return { args };
  const [flag] = args.splice(at, 1);
  const value = flag?.includes('=') ? flag.split('=')[1] : args.splice(at, 1)[0];
  if (value !== 'animatic' && value !== 'replicate') {
    throw new UserError('invalid_provider', `--provider must be animatic or replicate; got "${value ?? ''}".`);
  }
  return { provider: value, args };
}

function helpText(): string {
  const lines = COMMANDS.map((command) => `  ${command.usage}\n      ${command.summary}`);
  return `Reelsmith: prompt → planned, storyboarded, generated, stitched and scored video.\n\nUsage:\n${lines.join('\n')}\n\nEvery command also takes --provider animatic|replicate (default: replicate when REPLICATE_API_TOKEN is set).\n`;
}

process.exitCode = await main(process.argv.slice(2));
