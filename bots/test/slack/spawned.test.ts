import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../../../worker/test/helpers/cluster.js';
import { freePort, REPO_ROOT } from '../../../worker/test/helpers/spawn-worker.js';
import { ACTION } from '../../src/slack/action-ids.js';
import { actionIds, type FakeSlack, slackText, startFakeSlack } from '../../src/testing/fake-slack/index.js';
import { runScript } from '../shared/run-script.js';
import { eventually, videoIdIn } from './harness.js';

/**
 * The deployment as README describes it: `npm run slack` with SLACK_API_URL pointed at the fake
 * Slack, beside an `npm run worker`, on real Redis and Postgres; the test only talks Slack.
 */
describe('npm run slack with npm run worker', () => {
  let cluster: Cluster;
  let fake: FakeSlack;
  let app: ChildProcess;
  let output = '';
  let exited: Promise<number | null>;
  let port: number;

  beforeAll(async () => {
    fake = await startFakeSlack();
    cluster = await startCluster({ workers: 1 });
    port = await freePort();
    app = spawn('npm', ['run', '--silent', 'slack'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        ...cluster.env,
        SLACK_BOT_TOKEN: fake.botToken,
        SLACK_SIGNING_SECRET: fake.signingSecret,
        SLACK_API_URL: fake.apiUrl,
        SLACK_PORT: String(port),
        HEALTH_PORT: String(await freePort()),
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    app.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    app.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    exited = new Promise((resolve) => app.once('exit', (code) => resolve(code)));
    await eventually(() => output.includes('slack app ready'), 60_000).catch(() => {
      throw new Error(`the app did not get ready:\n${output}`);
    });
    fake.setAppUrl(`http://127.0.0.1:${port}/slack/events`);
  }, 120_000);
  afterAll(async () => {
    if (app && app.exitCode === null) app.kill('SIGKILL');
    await cluster?.close();
    await fake?.close();
  });

  it('serves /video to the final card, then a Regenerate, and stops cleanly', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const { response, responseUrl } = await fake.command('a tram crossing a snowy bridge at night --duration 10');
    expect(response.status).toBe(200);
    const answer = await eventually(() => fake.responses.find((r) => r.responseUrl === responseUrl));
    const videoId = videoIdIn(String(answer.body.text));

    const final = await eventually(() => {
      const message = fake.messages().find((m) => slackText(m).includes(videoId));
      return message && actionIds(message).includes(ACTION.restitch) ? message : undefined;
    }, 90_000);
    expect(slackText(final)).toMatch(/preview, \$0, would cost/);
    const scene1 = await eventually(() =>
      fake.messages(fake.channelId, final.ts).find((m) => actionIds(m).includes(ACTION.regenerate)),
    );
    await fake.action(scene1, ACTION.regenerate);
    await eventually(() => fake.uploadedFiles().some((file) => file.name === 'scene_01_v2.mp4'), 90_000);
    await eventually(() => slackText(fake.message(fake.channelId, scene1.ts) ?? scene1).includes('v1 · *v2*'), 30_000);

    // The node process under npm (its pid is on the ready line) shuts down on SIGTERM; npm passes its code on.
    const ready = output.split('\n').find((line) => line.includes('slack app ready')) as string;
    process.kill((JSON.parse(ready) as { pid: number }).pid, 'SIGTERM');
    expect(await exited).toBe(0);
  }, 240_000);

  it('refuses to start without Redis, Postgres and its tokens, saying in one line what to set', async () => {
    const { code, output } = await runScript('slack', {
      REDIS_URL: '',
      DATABASE_URL: '',
      SLACK_BOT_TOKEN: '',
      SLACK_SIGNING_SECRET: '',
    });
    expect(code).toBe(2);
    expect(output.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^reelsmith-slack: set REDIS_URL .*; DATABASE_URL .*; SLACK_BOT_TOKEN .*; SLACK_SIGNING_SECRET /,
      ),
    ]);
  });
});
