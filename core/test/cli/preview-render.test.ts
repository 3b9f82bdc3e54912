import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack, testRegistryYaml } from '../helpers/pipeline.js';
import { runCli } from './run-cli.js';

describe('reelsmith generate --preview and reelsmith render', () => {
  let stack: TestStack;
  let env: Record<string, string>;
  beforeAll(async () => {
    stack = await createTestStack();
    const registryFile = join(stack.dataDir, 'models.yaml');
    await writeFile(registryFile, await testRegistryYaml());
    env = { DATABASE_URL: stack.database.url, DATA_DIR: stack.dataDir, MODEL_REGISTRY_FILE: registryFile };
  });
  afterAll(() => stack?.close());

  it('prints a preview as preview: true, and refuses its render on a deployment without a paid provider', async () => {
    const made = await runCli(
      ['generate', 'a glass of lemonade', '--duration', '5', '--model', 'tiny', '--preview', '--json'],
      env,
    );
    expect(made.code, made.stderr).toBe(0);
    const preview = JSON.parse(made.stdout);
    expect(preview).toMatchObject({ status: 'ready', provider: 'animatic', preview: true, previewOf: null });

    const before = await stack.database.db.selectFrom('videos').select('id').execute();
    const refused = await runCli(['render', preview.videoId, '--json'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/no paid provider.*REPLICATE_API_TOKEN/);
    expect(await stack.database.db.selectFrom('videos').select('id').execute()).toEqual(before);
  });
});
