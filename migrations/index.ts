import type { Migration } from 'kysely';
import { m0001_initial } from './0001_initial.js';
import { m0002_work_graph } from './0002_work_graph.js';
import { m0004_previews } from './0004_previews.js';
import { m0005_brand_library } from './0005_brand_library.js';
import { m0007_identity_links } from './0007_identity_links.js';
import { m0008_mcp_tasks } from './0008_mcp_tasks.js';

/**
 * Every migration, registered by hand (no glob loading). Names sort in the order they run;
 * migrations are forward-only and never edited once released.
 */
export const migrations: Record<string, Migration> = {
  '0001_initial': m0001_initial,
  '0002_work_graph': m0002_work_graph,
  '0004_previews': m0004_previews,
  '0005_brand_library': m0005_brand_library,
  '0007_identity_links': m0007_identity_links,
  '0008_mcp_tasks': m0008_mcp_tasks,
};
