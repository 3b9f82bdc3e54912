/**
 * The Discord and Slack fronts (`npm run discord`, `npm run slack`) arrive in their own issues.
 * They will call the core VideoService only, and consume the notify-discord / notify-slack queues.
 */
const front = process.argv[2] ?? 'discord|slack';
console.error(
  `reelsmith ${front} bot: not built yet. It arrives with the chat-fronts issues; nothing runs here today.`,
);
process.exitCode = 1;
