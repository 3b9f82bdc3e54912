import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack, testRegistryYaml } from '../helpers/pipeline.js';
import { makeImage } from '../media/fixtures.js';
import { runCli } from './run-cli.js';

describe('reelsmith assets', () => {
  let stack: TestStack;
  let env: Record<string, string>;
  let files: { bars: string; barsSmall: string; fractal: string };
  beforeAll(async () => {
    stack = await createTestStack();
    const registryFile = join(stack.dataDir, 'models.yaml');
    await writeFile(registryFile, await testRegistryYaml());
    env = { DATABASE_URL: stack.database.url, DATA_DIR: stack.dataDir, MODEL_REGISTRY_FILE: registryFile };
    files = {
      bars: makeImage(join(stack.dataDir, 'bars.png'), 320, 180, 'smptebars'),
      barsSmall: makeImage(join(stack.dataDir, 'bars-small.png'), 256, 144, 'smptebars'),
      fractal: makeImage(join(stack.dataDir, 'fractal.png'), 320, 180, 'mandelbrot'),
    };
  });
  afterAll(() => stack?.close());

  const json = async (args: string[]) => {
    const result = await runCli([...args, '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout);
  };

  it('adds, tags, renames, searches and deletes, printing JSON views', async () => {
    const bars = await json(['assets', 'add', files.bars, '--name', 'Colour bars', '--tag', 'Test-Card']);
    expect(bars).toMatchObject({ kind: 'image', name: 'Colour bars', tags: ['test-card'], embedded: true });
    expect(bars.thumbnailKey).toMatch(new RegExp(`assets/${bars.assetId}/`));
    const small = await json(['assets', 'add', files.barsSmall]);
    expect(small.name).toBe('bars-small');
    const fractal = await json(['assets', 'add', files.fractal, '--name', 'Fractal poster']);

    const renamed = await json(['assets', 'rename', small.assetId, 'Bars', 'small']);
    expect(renamed).toMatchObject({ name: 'Bars small', filename: small.filename });
    const tagged = await json(['assets', 'tag', fractal.assetId, '--add', 'poster', '--add', 'print']);
    expect([...tagged.tags].sort()).toEqual(['poster', 'print']);

    const listed = await json(['assets', 'list']);
    expect(listed.map((a: { assetId: string }) => a.assetId)).toEqual([fractal.assetId, small.assetId, bars.assetId]);

    const similar = await json(['assets', 'search', '--similar', bars.assetId]);
    expect(similar.match).toBe('image_similarity');
    expect(similar.hits[0].asset.assetId).toBe(small.assetId);
    const text = await json(['assets', 'search', '--text', 'fractal poster']);
    expect(text.hits[0].asset.assetId).toBe(fractal.assetId);

    const human = await runCli(['assets', 'show', bars.assetId], env);
    expect(human.stdout).toMatch(/Colour bars.*\n.*bars\.png/);

    expect(await json(['assets', 'delete', fractal.assetId])).toEqual({ assetId: fractal.assetId, deleted: true });
    const after = await json(['assets', 'list']);
    expect(after.map((a: { assetId: string }) => a.assetId)).toEqual([small.assetId, bars.assetId]);
  });

  it('refuses bad input with exit code 2 and one clear line, changing nothing', async () => {
    const before = await stack.database.db.selectFrom('assets').selectAll().orderBy('id').execute();
    const [some] = before;
    const cases: Array<[string[], RegExp]> = [
      [['assets', 'search'], /exactly one of --text/],
      [['assets', 'search', '--text', '  '], /Say what to look for/],
      [['assets', 'tag', some?.id ?? 'x', '--add', 'x'.repeat(51)], /at most 50/],
      [['assets', 'frobnicate'], /Unknown assets subcommand "frobnicate"/],
      [['assets', 'show', '00000000-0000-4000-8000-000000000000'], /No .*asset/i],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, env);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect(await stack.database.db.selectFrom('assets').selectAll().orderBy('id').execute()).toEqual(before);
  });
});
