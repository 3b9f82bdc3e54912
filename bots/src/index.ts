/** The chat fronts: the Discord bot and the Slack app (each process starts from its own `main.ts`). */
export { createDiscordBot, type DiscordBot, type DiscordBotDeps } from './discord/create-bot.js';
export { createSlackApp, type SlackApp, type SlackAppDeps } from './slack/create-app.js';
