import { benchAck } from './ack.js';
import { benchMcpColdStart } from './mcp-cold-start.js';
import { benchMemory } from './memory.js';
import { benchQueue } from './queue.js';
import { benchSchedule } from './schedule.js';
import { benchSearch } from './search.js';
import { benchStitch } from './stitch.js';

/** `npm run bench`: prints ratios measured in this run (ours vs a baseline), never absolute targets. */
for (const run of [benchSchedule, benchStitch, benchQueue, benchAck, benchMemory, benchMcpColdStart, benchSearch]) {
  for (const line of await run()) console.log(line);
}
process.exit(0);
