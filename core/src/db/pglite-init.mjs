// Creates a PGlite data directory (initdb) and exits. Run as a child process by `openPglite`, so
// the several hundred MB initdb needs are returned to the system when it ends instead of staying
// in the long-lived process that opens the database afterwards. Argument: the directory.
import { PGlite } from '@electric-sql/pglite';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: pglite-init.mjs <dir>\n');
  process.exit(2);
}
const db = await PGlite.create(dir);
await db.query('select 1');
await db.close();
