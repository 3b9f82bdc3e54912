/**
 * The BullMQ worker process: one processor per pipeline step, graceful shutdown, health.
 * It arrives with the queue-runner issue; until then Reelsmith runs videos in process
 * (the InlineRunner used by the CLI and the MCP server).
 */
console.error('reelsmith worker: not built yet. It arrives with the queue-runner issue; nothing runs here today.');
process.exitCode = 1;
