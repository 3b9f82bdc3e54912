import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../../../worker/test/helpers/cluster.js';
import { freePort, REPO_ROOT } from '../../../worker/test/helpers/spawn-worker.js';
import {
  buttonPress,
  type FakeDiscord,
  type FakeUser,
  slashCommand,
  startFakeDiscord,
} from '../../src/testing/fake-discord/index.js';
import { customIds, eventually, textOf } from './harness.js';

const USER: FakeUser = { id: '300000000000000077', username: 'grace' };

/**
 * The deployment as README describes it: `npm run discord` with DISCORD_API_URL pointed at the
 * fake Discord, beside an `npm run worker`, on real Redis and Postgres; the test only talks Discord.
 */
describe('npm run discord with npm run worker', () => {
  let cluster: Cluster;
  let fake: FakeDiscord;
  let bot: ChildProcess;
  let output = '';
  let exited: Promise<number | null>;

  beforeAll(async () => {
    fake = await startFakeDiscord({ heartbeatIntervalMs: 1000 });
    cluster = await startCluster({ workers: 1 });
    bot = spawn('npm', ['run', '--silent', 'discord'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        ...cluster.env,
        DISCORD_TOKEN: fake.botToken,
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_API_URL: fake.apiUrl,
        HEALTH_PORT: String(await freePort()),
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    bot.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    bot.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    exited = new Promise((resolve) => bot.once('exit', (code) => resolve(code)));
    await eventually(() => output.includes('discord bot ready'), 60_000).catch(() => {
      throw new Error(`the bot did not get ready:\n${output}`);
    });
  }, 120_000);
  afterAll(async () => {
    if (bot && bot.exitCode === null) bot.kill('SIGKILL');
    await cluster?.close();
    await fake?.close();
  });

  const context = () => ({
    applicationId: fake.applicationId,
    guildId: fake.guildId,
    channelId: fake.channelId,
    user: USER,
    attachmentSizeLimit: fake.attachmentSizeLimit,
  });

  it('serves /video create to the final video, then a Regenerate, and stops cleanly', async () => {
    const interaction = fake.interact(
      slashCommand(context(), 'create', [
        { name: 'prompt', type: 3, value: 'a tram crossing a snowy bridge at night' },
        { name: 'duration', type: 4, value: 10 },
      ]),
    );
    expect((await interaction.callback).type).toBe(5);
    const reply = await eventually(() => interaction.original()?.content);
    const videoId = /`([0-9a-f-]{36})`/.exec(reply)?.[1] as string;
    expect(videoId).toBeTruthy();

    const final = await eventually(() => {
      const message = fake.messages().find((m) => customIds(m).includes(`rs:restitch:${videoId}`));
      return message?.attachments.some((a) => a.filename === 'final.mp4') ? message : undefined;
    }, 90_000);
    expect(textOf(final)).toMatch(/preview, \$0, would cost/);
    const threadId = final.thread?.id as string;
    const scene1 = await eventually(() => fake.messages(threadId).find((m) => textOf(m).startsWith('**Scene 1/')));
    expect(scene1.attachments.map((a) => a.filename)).toEqual(['scene_01_v1.mp4']);

    const press = fake.interact(buttonPress(context(), scene1, `rs:regen:${videoId}:1`));
    expect([5, 6]).toContain((await press.callback).type);
    await eventually(() => fake.message(scene1.id)?.attachments.some((a) => a.filename === 'scene_01_v2.mp4'), 90_000);
    expect(textOf(fake.message(scene1.id) ?? scene1)).toMatch(/v1 · \*\*v2\*\*/);

    // The node process under npm (its pid is on the ready line) shuts down on SIGTERM; npm passes its code on.
    const ready = output.split('\n').find((line) => line.includes('discord bot ready')) as string;
    process.kill((JSON.parse(ready) as { pid: number }).pid, 'SIGTERM');
    expect(await exited).toBe(0);
  }, 240_000);
});
