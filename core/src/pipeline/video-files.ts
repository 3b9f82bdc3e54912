import { copyFile, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore } from '../storage/blob-store.js';

/**
 * A video's local working set: storage keys materialised as files in `{workRoot}/{videoId}/`.
 * Steps read inputs by key (downloaded once, then served from the folder) and publish outputs by
 * key (uploaded first, then kept locally for the next step). The same steps therefore run in one
 * process (InlineRunner) or across machines (a worker that starts with an empty folder).
 */
export interface VideoFiles {
  readonly dir: string;
  /** Local path of `key`, downloading it when it is not here yet. */
  fetch(key: string): Promise<string>;
  /** Uploads `localPath` to `key` and keeps a copy for later steps; returns the cached path. */
  publish(localPath: string, key: string, contentType?: string): Promise<string>;
  /** A fresh private folder for one call's intermediate files; remove it with `rm`. */
  scratch(prefix: string): Promise<string>;
  /** Removes the whole local folder (storage is untouched). */
  dispose(): Promise<void>;
}

export function createVideoFiles(storage: BlobStore, workRoot: string, videoId: string): VideoFiles {
  const dir = join(workRoot, videoId);
  const localPathOf = (key: string) => join(dir, 'cache', key.replaceAll('/', '__'));
  const exists = (path: string) =>
    stat(path).then(
      (s) => s.isFile(),
      () => false,
    );
  const inFlight = new Map<string, Promise<string>>();

  return {
    dir,
    async fetch(key) {
      const path = localPathOf(key);
      if (await exists(path)) return path;
      const pending = inFlight.get(key);
      if (pending) return pending;
      const download = (async () => {
        await mkdir(join(dir, 'cache'), { recursive: true });
        await storage.get(key, { file: path });
        return path;
      })().finally(() => inFlight.delete(key));
      inFlight.set(key, download);
      return download;
    },
    async publish(localPath, key, contentType) {
      await storage.put(key, { file: localPath }, contentType ? { contentType } : undefined);
      const path = localPathOf(key);
      if (path !== localPath) {
        await mkdir(join(dir, 'cache'), { recursive: true });
        await copyFile(localPath, path);
      }
      return path;
    },
    async scratch(prefix) {
      await mkdir(dir, { recursive: true });
      return mkdtemp(join(dir, `${prefix}-`));
    },
    async dispose() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}
