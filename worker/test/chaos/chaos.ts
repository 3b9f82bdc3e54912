/**
 * `npm run chaos [-- --videos 8 --workers 3 --kill-every-ms 4000]`: a soak of the queue under worker
 * crashes. Spawned `npm run worker` processes render videos of several users on the animatic while
 * a random worker is killed with SIGKILL and replaced every few seconds; at the end every video must
 * be ready with exactly one version per scene, one take and only settled steps. Needs Postgres and
 * Redis, like the tests. (CI runs the short variant: `worker/test/spawned/replicate-workers.test.ts`.)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { type Cluster, startCluster } from '../helpers/cluster.js';

const { values } = parseArgs({
  options: {
    videos: { type: 'string', default: '8' },
    workers: { type: 'string', default: '3' },
    'kill-every-ms': { type: 'string', default: '4000' },
  },
});
const videos = Number(values.videos);
const workerCount = Number(values.workers);
const killEveryMs = Number(values['kill-every-ms']);

async function main(): Promise<number> {
  const cluster: Cluster = await startCluster({
    workers: workerCount,
    env: { WORKER_CONCURRENCY: '2', USER_CONCURRENT_VIDEOS: '2', WORKER_LOCK_MS: '2000' },
  });
  const started = Date.now();
  let kills = 0;
  try {
    const owners = Array.from({ length: Math.ceil(videos / 2) }, (_, i) => ({
      platform: 'cli' as const,
      platformUserId: `chaos-${i}`,
    }));
    const created = await Promise.all(
      Array.from({ length: videos }, (_, i) =>
        cluster.front.service.create(owners[i % owners.length] as (typeof owners)[number], {
          prompt: `chaos video ${i}: a lighthouse, waves, gulls`,
          durationS: 10 + 5 * (i % 3),
        }),
      ),
    );
    let done = false;
    const all = Promise.all(created.map((view) => cluster.front.service.settled(view.videoId))).then(() => {
      done = true;
    });
    while (!done) {
      await Promise.race([all, sleep(killEveryMs)]);
      if (done) break;
      const alive = cluster.workers.filter((worker) => worker.output().includes('worker ready'));
      const victim = alive[Math.floor(Math.random() * alive.length)];
      if (!victim) continue;
      await victim.kill9();
      cluster.workers.splice(cluster.workers.indexOf(victim), 1);
      kills += 1;
      await cluster.startWorker();
    }
    const problems: string[] = [];
    for (const view of created) {
      const row = await cluster.database.db
        .selectFrom('videos')
        .select('status')
        .where('id', '=', view.videoId)
        .executeTakeFirstOrThrow();
      if (row.status !== 'ready') problems.push(`${view.videoId} ended ${row.status}`);
    }
    const versions = await cluster.database.db
      .selectFrom('clip_versions')
      .select(['scene_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('scene_id')
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute();
    if (versions.length > 0) problems.push(`${versions.length} scenes got more than one version`);
    const takes = await cluster.database.db
      .selectFrom('takes')
      .select(['video_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('video_id')
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute();
    if (takes.length > 0) problems.push(`${takes.length} videos got more than one take`);
    const unsettled = await cluster.database.db
      .selectFrom('steps')
      .select(['key', 'status', 'attempts', 'error_message'])
      .where('status', 'not in', ['succeeded'])
      .execute();
    for (const step of unsettled) {
      problems.push(
        `step ${step.key} ended ${step.status} after ${step.attempts} attempts: ${step.error_message ?? ''}`,
      );
    }
    const retried = await cluster.database.db.selectFrom('steps').select('key').where('attempts', '>', 1).execute();
    process.stdout.write(
      `chaos: ${videos} videos, ${kills} workers killed -9, ${retried.length} steps ran again, ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
    );
    for (const problem of problems) process.stdout.write(`  PROBLEM: ${problem}\n`);
    return problems.length === 0 ? 0 : 1;
  } finally {
    await cluster.close();
  }
}

process.exitCode = await main();
process.exit();
