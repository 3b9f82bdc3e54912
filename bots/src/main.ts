/**
 * `npm run slack`: the Slack front arrives in its own issue. It will call the core VideoService
 * only, and consume the notify-slack queue. (`npm run discord` runs `discord/main.ts`.)
 */
console.error('reelsmith slack app: not built yet. It arrives with the Slack issue; nothing runs here today.');
process.exitCode = 1;
