import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { createTestStack, type TestStack, testRegistryYaml } from '../helpers/pipeline.js';
import { BLUE, flatPng, RED } from './fixtures.js';

describe('reelsmith generate --mode image_pairs', () => {
  let stack: TestStack;
  let env: Record<string, string>;
  beforeAll(async () => {
    stack = await createTestStack();
    const registryFile = join(stack.dataDir, 'models.test.yaml');
    await writeFile(registryFile, await testRegistryYaml());
    env = { DATABASE_URL: stack.database.url, DATA_DIR: stack.dataDir, MODEL_REGISTRY_FILE: registryFile };
  });
  afterAll(() => stack?.close());

  it('uploads the image files and makes one scene per pair', async () => {
    const a = flatPng(stack.dataDir, 'a.png', RED);
    const b = flatPng(stack.dataDir, 'b.png', BLUE);
    const args = ['generate', 'reveal', '--mode', 'image_pairs', '--image', a, '--image', b];
    const result = await runCli([...args, '--model', 'tiny-pairs', '--clip-duration', '2', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    const view = JSON.parse(result.stdout);
    expect(view).toMatchObject({ status: 'ready', model: 'tiny-pairs' });
    expect(view.scenes).toHaveLength(1);
    expect(view.scenes[0].firstImage.key).not.toBe(view.scenes[0].lastImage.key);
    expect(view.scenes[0].firstImage.key).toBe(view.scenes[0].storyboard.key);
  });

  it('refuses one image and a model without a last frame before uploading anything', async () => {
    const a = flatPng(stack.dataDir, 'c.png', RED);
    const before = await stack.database.db.selectFrom('assets').selectAll().execute();
    const one = await runCli(['generate', 'x', '--mode', 'image_pairs', '--image', a, '--model', 'tiny-pairs'], env);
    expect(one.code).not.toBe(0);
    expect(one.stderr).toContain('at least 2 images');
    const noLast = await runCli(
      ['generate', 'x', '--mode', 'image_pairs', '--image', a, '--image', a, '--model', 'tiny'],
      env,
    );
    expect(noLast.code).not.toBe(0);
    expect(noLast.stderr).toMatch(/no last-frame input|given once/);
    expect(await stack.database.db.selectFrom('assets').selectAll().execute()).toEqual(before);
  });
});
