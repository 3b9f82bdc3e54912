import type { AccountView, IdentityView, LinkCodeView } from '@reelsmith/core';

const APP_NAMES: Record<IdentityView['platform'], string> = {
  discord: 'Discord',
  slack: 'Slack',
  mcp: 'AI assistant (MCP)',
  cli: 'CLI',
};

/** The front's markup rules: how a name from outside is made safe to show. */
export interface LinkTextOptions {
  /** The app the person is in (`Discord`, `Slack`), named as the place to undo it. */
  here: 'Discord' | 'Slack';
  escape?: (text: string) => string;
}

/** `AI assistant (MCP) \`alice\``: an identity as a person recognises it. */
function named(identity: IdentityView, options: LinkTextOptions): string {
  const name = (identity.displayName ?? identity.platformUserId).replace(/`/g, "'");
  return `${APP_NAMES[identity.platform]} \`${options.escape ? options.escape(name) : name}\``;
}

function others(account: AccountView, options: LinkTextOptions): string {
  return account.identities
    .filter((identity) => !identity.you)
    .map((identity) => named(identity, options))
    .join(', ');
}

/** The answer to `/video link` without a code: the code and where to enter it. */
export function linkCodeText(issued: LinkCodeView, options: LinkTextOptions): string {
  const other = options.here === 'Discord' ? 'Slack' : 'Discord';
  const already = issued.identities.length > 1 ? `\nAlready linked with ${others(issued, options)}.` : '';
  return (
    [
      `Your link code: \`${issued.code}\` (works once, for ${issued.expiresInS / 60} minutes).`,
      `Give it to your AI assistant (Reelsmith's \`link_account\` tool), or type \`/video link ${issued.code}\` in ${other}.`,
      'Linked identities see and change each other’s videos and share one daily budget; `/video unlink` undoes it.',
    ].join('\n') + already
  );
}

/** The answer to `/video link CODE` once it linked. */
export function linkedText(account: AccountView, options: LinkTextOptions): string {
  return `Linked: this ${options.here} identity now shares videos, uploads and the daily budget with ${others(account, options)}. \`/video unlink\` undoes it.`;
}

/** The answer to `/video unlink` (the identity the person is in leaves its account). */
export function unlinkedText(options: LinkTextOptions): string {
  return `Unlinked: this ${options.here} identity sees only the videos it made itself again, with its own daily budget.`;
}
