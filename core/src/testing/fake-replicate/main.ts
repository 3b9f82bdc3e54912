import { loadModelRegistry } from '../../models/registry.js';
import { startFakeReplicate } from './server.js';

/**
 * `npm run fake:replicate [-- --port 8787] [--latency-ms 500]`: serves the fake Replicate API with
 * the shipped model registry until interrupted, and prints the environment that points Reelsmith at it.
 */
async function main(argv: readonly string[]): Promise<void> {
  const port = numberOption(argv, '--port') ?? positionalPort(argv) ?? 8787;
  const stepLatencyMs = numberOption(argv, '--latency-ms') ?? 500;
  const fake = await startFakeReplicate({
    models: loadModelRegistry(),
    port,
    stepLatencyMs,
    log: (line) => process.stderr.write(`[fake-replicate] ${line}\n`),
  });
  process.stdout.write(
    [
      `Fake Replicate listening on ${fake.url}`,
      'Point Reelsmith at it with:',
      `  REPLICATE_BASE_URL=${fake.url}`,
      `  REPLICATE_API_TOKEN=${fake.apiToken}`,
      `  REPLICATE_WEBHOOK_SECRET=${fake.webhookSecret}`,
      '',
    ].join('\n'),
  );
  const stop = () => {
    process.stdout.write(`Stopping; ${fake.predictions().length} predictions, billed $${fake.billedUsd()}\n`);
    void fake.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function numberOption(argv: readonly string[], name: string): number | undefined {
  const index = argv.findIndex((arg) => arg === name || arg.startsWith(`${name}=`));
  if (index < 0) return undefined;
  const raw = argv[index]?.includes('=') ? argv[index]?.split('=')[1] : argv[index + 1];
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} needs a whole number, got ${String(raw)}`);
  return value;
}

function positionalPort(argv: readonly string[]): number | undefined {
  const first = argv[0];
  return first !== undefined && /^\d+$/.test(first) ? Number(first) : undefined;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`fake-replicate: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
