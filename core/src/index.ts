/**
 * The public face of the core for fronts (bots, MCP server, CLI): configuration, logging and
 * error classes today; the VideoService arrives with the core-pipeline issue. Fronts never
 * import the database, storage, media or providers directly (DESIGN.md §2).
 */
export { type Config, ConfigError, ENV_VARIABLES, loadConfig } from './config.js';
export * from './errors.js';
export { type CreateLoggerOptions, createLogger, type Logger } from './log.js';
