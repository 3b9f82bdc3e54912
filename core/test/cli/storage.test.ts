import { randomUUID } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetBucketLifecycleConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Owner } from '../../src/service/types.js';
import { classifyKey } from '../../src/storage/lifecycle/key-layout.js';
import { createTestStack, type TestStack } from '../helpers/pipeline.js';
import { type RunningS3rver, S3RVER_CREDENTIALS, startS3rver } from '../storage/s3-server.js';
import { runCli } from './run-cli.js';

const cliOwner: Owner = { platform: 'cli', platformUserId: userInfo().username || 'local' };

describe('reelsmith storage', () => {
  let stack: TestStack;
  let env: Record<string, string>;
  let userId: string;
  let videoId: string;

  /** Every file under the user's folder of local storage, with its size. */
  async function filesOnDisk(): Promise<Map<string, number>> {
    const root = join(stack.dataDir, 'storage');
    const files = new Map<string, number>();
    for (const entry of await readdir(join(root, userId), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      files.set(path.slice(root.length + 1), (await stat(path)).size);
    }
    return files;
  }
  const supersededIntermediates = async () =>
    [...(await filesOnDisk()).keys()].filter((key) => {
      const layout = classifyKey(key);
      return (layout.kind === 'chunk' || layout.kind === 'chunk_last_frame') && layout.version === 1;
    });

  beforeAll(async () => {
    stack = await createTestStack();
    env = { DATABASE_URL: stack.database.url, DATA_DIR: stack.dataDir };
    const created = await stack.service.create(cliOwner, { prompt: 'a kite over dunes', durationS: 5, model: 'tiny' });
    videoId = created.videoId;
    await stack.service.settled(videoId);
    await stack.service.regenerateScene(cliOwner, videoId, 1);
    await stack.service.settled(videoId);
    const row = await stack.database.db
      .selectFrom('videos')
      .select('user_id')
      .where('id', '=', videoId)
      .executeTakeFirstOrThrow();
    userId = row.user_id;
  }, 120_000);
  afterAll(() => stack?.close());

  it('usage --json prints what the CLI user stores, adding up to the files on disk', async () => {
    const result = await runCli(['storage', 'usage', '--json'], env);
    expect(result.code).toBe(0);
    const usage = JSON.parse(result.stdout);
    const files = await filesOnDisk();
    expect(usage).toMatchObject({
      owner: { platform: 'cli', platformUserId: cliOwner.platformUserId },
      userId,
      backend: 'local',
      objects: files.size,
      bytes: [...files.values()].reduce((sum, size) => sum + size, 0),
    });
    expect(usage.categories.current_clip.objects).toBe(1);
    expect(usage.categories.earlier_clip.objects).toBe(1);
    expect(usage.categories.intermediate.objects).toBe(8);
    const categorized = Object.values(usage.categories as Record<string, { objects: number }>);
    expect(categorized.reduce((sum, category) => sum + category.objects, 0)).toBe(files.size);
  });

  it('usage prints a total and one line per category', async () => {
    const result = await runCli(['storage', 'usage'], env);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(`^cli:${cliOwner.platformUserId} stores [\\d.]+ (B|KiB|MiB) in \\d+ objects \\(local storage\\)$`),
    );
    expect(lines.slice(1).map((line) => line.trim().split(/\s{2,}/)[0])).toEqual([
      'finals, takes, music',
      'current clips',
      'earlier clips',
      'storyboards',
      'assets',
      'intermediates',
      'other',
    ]);
  });

  it('usage --user looks at another user: one it has never seen holds nothing', async () => {
    const result = await runCli(['storage', 'usage', '--user', 'discord:123456789012345678', '--json'], env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ userId: null, objects: 0, bytes: 0 });
  });

  const refusals: Array<[string, string[], Record<string, string>, RegExp]> = [
    ['no storage command', ['storage'], {}, /Missing the storage command/],
    ['an unknown storage command', ['storage', 'frobnicate'], {}, /Unknown storage command "frobnicate"/],
    ['a --user without a platform', ['storage', 'usage', '--user', 'nobody'], {}, /--user must be PLATFORM:ID/],
    ['a --user on an unknown platform', ['storage', 'usage', '--user', 'myspace:1'], {}, /--user must be PLATFORM:ID/],
    ['a --user without an id', ['storage', 'usage', '--user', 'discord:'], {}, /--user must be PLATFORM:ID/],
    ['an unknown option', ['storage', 'sweep', '--force'], {}, /Unknown option '--force'/],
    ['an extra argument', ['storage', 'usage', 'everyone'], {}, /Unexpected argument "everyone"/],
    ['the lifecycle rule on local storage', ['storage', 'lifecycle'], {}, /S3_BUCKET is not set/],
    ['applying it on local storage', ['storage', 'lifecycle', '--apply'], {}, /S3_BUCKET is not set/],
    [
      'negative hours',
      ['storage', 'sweep'],
      { KEEP_INTERMEDIATES_HOURS: '-1' },
      /KEEP_INTERMEDIATES_HOURS: must be a whole number/,
    ],
    [
      'fractional hours',
      ['storage', 'sweep'],
      { KEEP_INTERMEDIATES_HOURS: '1.5' },
      /KEEP_INTERMEDIATES_HOURS: must be a whole number/,
    ],
    [
      'hours past ten years',
      ['storage', 'sweep'],
      { KEEP_INTERMEDIATES_HOURS: '100000' },
      /KEEP_INTERMEDIATES_HOURS: must be at most 87600/,
    ],
  ];

  it.each(refusals)(
    'refuses %s with one line and exit code 2, removing nothing (the superseded intermediates are still there)',
    async (_label, args, extra, message) => {
      const before = await filesOnDisk();
      const result = await runCli(args, { ...env, KEEP_INTERMEDIATES_HOURS: '0', ...extra });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(await filesOnDisk()).toEqual(before);
    },
  );

  it('sweep keeps intermediates younger than the default 24 hours', async () => {
    const before = await filesOnDisk();
    const result = await runCli(['storage', 'sweep', '--json'], env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ objects: 0, keepIntermediatesHours: 24, dryRun: false });
    expect(await filesOnDisk()).toEqual(before);
  });

  it('sweep --dry-run lists the superseded intermediates with KEEP_INTERMEDIATES_HOURS=0, and sweep removes them', async () => {
    const doomed = (await supersededIntermediates()).sort();
    expect(doomed).toHaveLength(4);
    const before = await filesOnDisk();
    const dry = await runCli(['storage', 'sweep', '--dry-run'], { ...env, KEEP_INTERMEDIATES_HOURS: '0' });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(
      /^Would remove 4 intermediates \(.+\) of 1 clip version no longer current since before /,
    );
    expect(
      dry.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.trim())
        .sort(),
    ).toEqual(doomed);
    expect(await filesOnDisk()).toEqual(before);

    const swept = await runCli(['storage', 'sweep', '--json'], { ...env, KEEP_INTERMEDIATES_HOURS: '0' });
    expect(swept.code).toBe(0);
    const report = JSON.parse(swept.stdout);
    expect([...report.keys].sort()).toEqual(doomed);
    expect(report.bytes).toBe(doomed.reduce((sum, key) => sum + (before.get(key) ?? 0), 0));
    expect(await supersededIntermediates()).toEqual([]);
    expect([...(await filesOnDisk()).keys()]).toEqual([...before.keys()].filter((key) => !doomed.includes(key)));
    const again = await runCli(['storage', 'sweep'], { ...env, KEEP_INTERMEDIATES_HOURS: '0' });
    expect(again.stdout).toMatch(/^Removed 0 intermediates \(0 B\)/);
  });
});

describe('reelsmith storage lifecycle on S3', () => {
  let server: RunningS3rver;
  let client: S3Client;
  let stack: TestStack;
  const bucket = `reelsmith-cli-${randomUUID().slice(0, 8)}`;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startS3rver();
    client = new S3Client({
      region: 'us-east-1',
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
    });
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    stack = await createTestStack();
    env = {
      DATABASE_URL: stack.database.url,
      DATA_DIR: stack.dataDir,
      S3_BUCKET: bucket,
      S3_ENDPOINT: server.endpoint,
      S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      KEEP_INTERMEDIATES_HOURS: '48',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
  });
  afterAll(async () => {
    await stack?.close();
    client?.destroy();
    await server?.close();
  });

  it('prints the rule, and --apply puts it on the bucket', async () => {
    const shown = await runCli(['storage', 'lifecycle'], env);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(
      `Rule for bucket ${bucket}: objects tagged reelsmith-lifecycle=intermediate expire 2 days after they were written`,
    );
    const printed = JSON.parse(shown.stdout.slice(shown.stdout.indexOf('{'), shown.stdout.lastIndexOf('}') + 1));
    expect(printed).toEqual({
      Rules: [
        {
          ID: 'reelsmith-expire-intermediates',
          Status: 'Enabled',
          Filter: { Tag: { Key: 'reelsmith-lifecycle', Value: 'intermediate' } },
          Expiration: { Days: 2 },
        },
      ],
    });
    await expect(client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).rejects.toMatchObject({
      name: 'NoSuchLifecycleConfiguration',
    });

    const applied = await runCli(['storage', 'lifecycle', '--apply', '--json'], env);
    expect(applied.code).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({ applied: true, bucket, expirationDays: 2, replaced: false });
    const onBucket = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    expect(onBucket.Rules).toEqual(printed.Rules);
  });

  it('sweeps on S3 when asked, saying the bucket rule does it by itself', async () => {
    const result = await runCli(['storage', 'sweep'], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/on S3 the bucket lifecycle rule expires intermediates by itself/);
    expect(result.stdout).toMatch(/^Removed 0 intermediates/);
  });
});
