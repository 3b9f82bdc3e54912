/**
 * The MCP server (stdio and Streamable HTTP) arrives with the MCP-server issue.
 * It will expose the VideoService verbs as tools: plan_video, create_video, get_video, …
 */
console.error('reelsmith MCP server: not built yet. It arrives with the MCP-server issue; nothing runs here today.');
process.exitCode = 1;
