import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extendS3rver } from './s3rver-extensions.js';

type S3rverInstance = {
  middleware: Parameters<typeof extendS3rver>[0]['middleware'];
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
};
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets?: Array<{ name: string }>;
}) => S3rverInstance;

const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

/** s3rver's built-in account; it refuses other access keys but does not check signatures. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export type RunningS3rver = { endpoint: string; close(): Promise<void> };

/**
 * Starts s3rver on 127.0.0.1 with an OS-chosen port and a throwaway directory holding `buckets`, with
 * bucket lifecycle configurations and `x-amz-tagging` on writes added (`s3rver-extensions.ts`).
 */
export async function startS3rver(buckets: string[] = []): Promise<RunningS3rver> {
  const directory = await mkdtemp(join(tmpdir(), 'reelsmith-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  extendS3rver(server);
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
