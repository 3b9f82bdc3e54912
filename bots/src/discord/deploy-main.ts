/** `npm run discord:deploy`: registers `/video` in DISCORD_GUILD_ID (at once) or globally. */
import { ConfigError, createLogger, loadConfig, openCatalog } from '@reelsmith/core';
import { REST } from 'discord.js';
import { deployCommands } from './deploy.js';

async function main(): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`reelsmith-discord: ${error.message}\n`);
    return 2;
  }
  const { token, applicationId, guildId, apiUrl } = config.discord;
  if (!token || !applicationId) {
    process.stderr.write('reelsmith-discord: set DISCORD_TOKEN and DISCORD_APPLICATION_ID to register the commands.\n');
    return 2;
  }
  const catalog = openCatalog(config, { log: createLogger({ level: 'warn', destination: 'stderr' }) });
  const rest = new REST({ api: apiUrl }).setToken(token);
  const stored = await deployCommands({ rest, applicationId, guildId, models: catalog.listModels() });
  process.stdout.write(
    `Registered ${stored.length} command${stored.length === 1 ? '' : 's'} ${guildId ? `in guild ${guildId} (available now)` : 'globally (may take up to an hour to appear)'}.\n`,
  );
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`reelsmith-discord: ${(error as Error)?.message ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
