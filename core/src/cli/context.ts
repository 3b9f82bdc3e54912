import type { Reelsmith } from '../app.js';
import type { CatalogService } from '../service/catalog.js';
import type { StorageAdmin } from '../service/storage-admin.js';
import type { Owner } from '../service/types.js';

/** What every CLI command gets: the wired app (opened lazily), who the user is, and the streams. */
export interface CliContext {
  open(): Promise<Reelsmith>;
  /** Plan, estimate and the catalogs without opening the database (commands that store nothing). */
  catalog(): CatalogService;
  /** The storage verbs (usage, sweep, lifecycle rule) over the database and storage, opened lazily; `reelsmith storage` needs it. */
  storageAdmin?(): Promise<StorageAdmin>;
  owner: Owner;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  /** Resolves with the process exit code. */
  run(argv: readonly string[], ctx: CliContext): Promise<number>;
}

export function printJson(ctx: CliContext, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
