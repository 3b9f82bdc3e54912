import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCommands } from '../../src/discord/deploy.js';
import { runScript as run } from '../shared/run-script.js';
import { ADA, customIds, type DiscordHarness, eventually, ownerOf, startDiscordHarness, textOf } from './harness.js';

describe('Discord commands and threads', () => {
  let h: DiscordHarness;
  beforeAll(async () => {
    h = await startDiscordHarness();
  });
  afterAll(() => h?.close());

  it('registers /video in a guild with a payload Discord accepts (types, names, lengths, choices)', async () => {
    const rest = new REST({ api: h.fake.apiUrl }).setToken(h.fake.botToken);
    await deployCommands({
      rest,
      applicationId: h.fake.applicationId,
      guildId: h.fake.guildId,
      models: h.stack.service.listModels(),
    });
    const [video] = h.fake.commands(h.fake.guildId) as Array<{ name: string; options: Array<Record<string, unknown>> }>;
    expect(video?.name).toBe('video');
    expect(video?.options.map((option) => option.name)).toEqual([
      'create',
      'status',
      'models',
      'flavors',
      'estimate',
      'cancel',
      'link',
      'unlink',
    ]);
    const create = video?.options[0] as {
      options: Array<{ name: string; type: number; choices?: Array<{ value: unknown }>; autocomplete?: boolean }>;
    };
    const byName = Object.fromEntries(create.options.map((option) => [option.name, option]));
    expect(byName.prompt?.type).toBe(3);
    expect(byName.image?.type).toBe(11);
    expect(byName.audio?.type).toBe(11);
    expect(byName.duration?.choices?.map((choice) => choice.value)).toContain(120);
    expect(byName.model?.choices?.map((choice) => choice.value)).toEqual(
      expect.arrayContaining(['hailuo', 'wan', 'tiny']),
    );
    expect(byName.flavor?.autocomplete).toBe(true);
    expect(byName.preview?.type).toBe(5);
  });

  it('npm run discord:deploy registers them, saying where', async () => {
    const { code, output } = await run('discord:deploy', {
      DISCORD_TOKEN: h.fake.botToken,
      DISCORD_APPLICATION_ID: h.fake.applicationId,
      DISCORD_GUILD_ID: h.fake.guildId,
      DISCORD_API_URL: h.fake.apiUrl,
    });
    expect(code, output).toBe(0);
    expect(output.trim()).toBe(`Registered 1 command in guild ${h.fake.guildId} (available now).`);
  });

  it('npm run discord refuses to start without Redis and Postgres, saying what to set', async () => {
    const { code, output } = await run('discord', { REDIS_URL: '', DATABASE_URL: '', DISCORD_TOKEN: 'x.y.z' });
    expect(code).toBe(2);
    expect(output.trim().split('\n')).toEqual([
      expect.stringMatching(/^reelsmith-discord: set REDIS_URL .*; DATABASE_URL /),
    ]);
  });

  it('answers autocomplete with the flavors and the user’s videos', async () => {
    const made = await h.stack.service.create(ownerOf(ADA), { prompt: 'tulips in rain', durationS: 5, model: 'tiny' });
    await h.stack.service.settled(made.videoId);
    const { autocomplete } = await import('../../src/testing/fake-discord/index.js');
    const flavors = h.fake.interact(
      autocomplete(h.context(), 'create', [
        { name: 'prompt', type: 3, value: 'x' },
        { name: 'flavor', type: 3, value: 'cin', focused: true },
      ]),
    );
    expect((await flavors.callback).data?.choices).toEqual([{ name: 'cinematic', value: 'cinematic' }]);
    const videos = h.fake.interact(
      autocomplete(h.context(), 'status', [{ name: 'video', type: 3, value: 'tulip', focused: true }]),
    );
    expect((await videos.callback).data?.choices).toEqual([{ name: 'ready · tulips in rain', value: made.videoId }]);
  });

  it('puts the scene cards in the channel when it may not create threads, and nothing fails', async () => {
    h.fake.faults.forbidThreads = true;
    const interaction = h.command('create', [
      { name: 'prompt', type: 3, value: 'a paper lantern festival' },
      { name: 'duration', type: 4, value: 10 },
      { name: 'model', type: 3, value: 'tiny' },
    ]);
    const videoId = /`([0-9a-f-]{36})`/.exec(await h.reply(interaction))?.[1] as string;
    await h.stack.service.settled(videoId);
    const view = await h.stack.service.get(ownerOf(ADA), videoId);
    const cards = await eventually(() => {
      const found = h.fake
        .messages()
        .filter((message) => customIds(message).some((id) => id.startsWith(`rs:regen:${videoId}`)));
      return found.length === view.scenes.length ? found : undefined;
    });
    expect(cards.map((message) => textOf(message).split('\n')[0])).toEqual(
      view.scenes.map((scene) => expect.stringContaining(`Scene ${scene.index}/${view.scenes.length}`)),
    );
    expect(h.fake.requests().some((request) => request.path.endsWith('/threads') && request.status === 403)).toBe(true);
    h.fake.faults.forbidThreads = false;
  });
});
