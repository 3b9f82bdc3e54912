import { detachIdentity, listAccountMembers, lockAccountChanges, lockHeads, mergeAccounts } from '../db/accounts.js';
import {
  consumeLinkCode,
  countLinkAttemptsSince,
  findLinkCodeForUpdate,
  insertLinkAttempt,
  insertLinkCode,
  pruneLinkCodes,
  supersedeLinkCodes,
} from '../db/link-codes.js';
import { PLATFORMS, type Platform, type UserRow } from '../db/schema.js';
import { RetryableError, UserError } from '../errors.js';
import { formatLinkCode, hashLinkCode, newLinkCode, normalizeLinkCode } from './link-code.js';
import type { ServiceContext } from './service-context.js';
import type { AccountView, IdentityView, LinkCodeView, Owner, UnlinkView } from './types.js';

/** How long a code can be used. */
export const LINK_CODE_TTL_S = 600;
/** Wrong codes one identity may enter per window before it must wait. */
export const MAX_WRONG_LINK_CODES = 5;
export const WRONG_LINK_CODE_WINDOW_S = 60;
/** Dead codes and old attempts are forgotten after this. */
const KEEP_MS = 24 * 3600_000;

const APP_NAMES: Record<Platform, string> = { discord: 'Discord', slack: 'Slack', mcp: 'MCP', cli: 'CLI' };
const MAKE_ONE = 'Make a new one with /video link in Discord or Slack, or link_account in your AI assistant.';

/** A refusal decided inside a transaction that must still commit (the wrong attempt it recorded). */
type Refusal = { refused: UserError };

/**
 * A new one-time code for the owner's identity, replacing any unused one it made before. Another
 * identity of the same person enters it (`completeLink`) within LINK_CODE_TTL_S to link the two.
 * Only the code's hash is stored.
 */
export async function startLink(ctx: ServiceContext, owner: Owner): Promise<LinkCodeView> {
  const { db } = ctx.deps;
  const userId = await ctx.userIdOf(owner);
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_S * 1000);
  const code = await db.transaction().execute(async (trx) => {
    await pruneLinkCodes(trx, new Date(now.getTime() - KEEP_MS));
    await supersedeLinkCodes(trx, userId, now);
    for (let draw = 0; draw < 5; draw++) {
      const candidate = newLinkCode();
      if (await insertLinkCode(trx, { userId, codeHash: hashLinkCode(candidate), expiresAt })) return candidate;
    }
    throw new RetryableError('Could not draw an unused link code in 5 tries.');
  });
  return {
    code: formatLinkCode(code),
    expiresAt: expiresAt.toISOString(),
    expiresInS: LINK_CODE_TTL_S,
    ...(await accountView(ctx, userId)),
  };
}

/**
 * Links the owner's identity with the one that made `typed`: from then on each sees, changes and
 * pays from the same videos, uploads and daily budget (every ownership check is scoped by account).
 * The code is used up atomically: of two identities entering it at once, one links and the other is
 * told it was used. Refused, changing nothing but the count of wrong codes: a malformed code
 * (`link_code_malformed`, not counted), an unknown one (`link_code_invalid`), an expired or replaced
 * one (`link_code_expired`), a used one (`link_code_used`), more than MAX_WRONG_LINK_CODES wrong codes
 * in WRONG_LINK_CODE_WINDOW_S (`link_rate_limited`). Refused without using the code: the owner's own
 * code (`link_self`), identities already linked (`already_linked`), and two accounts that would hold
 * two identities of one app (`link_platform_taken`: an account has one identity per app).
 */
export async function completeLink(ctx: ServiceContext, owner: Owner, typed: string): Promise<AccountView> {
  const code = normalizeLinkCode(typed);
  if (!code) {
    const shown = String(typed ?? '').slice(0, 40);
    throw new UserError(
      'link_code_malformed',
      `“${shown}” is not a link code: a code is 8 letters and digits like ABCD-EFGH. ${MAKE_ONE}`,
    );
  }
  const { db } = ctx.deps;
  const userId = await ctx.userIdOf(owner);
  const now = ctx.now();
  const outcome = await db.transaction().execute(async (trx): Promise<Refusal | undefined> => {
    await lockAccountChanges(trx);
    const since = new Date(now.getTime() - WRONG_LINK_CODE_WINDOW_S * 1000);
    if ((await countLinkAttemptsSince(trx, userId, since)) >= MAX_WRONG_LINK_CODES) {
      return refuse(
        'link_rate_limited',
        `Too many wrong link codes in the last minute; wait a minute, then enter the code again. Nothing was linked.`,
      );
    }
    const row = await findLinkCodeForUpdate(trx, hashLinkCode(code));
    const wrong = !row
      ? refuse('link_code_invalid', `${formatLinkCode(code)} is not a valid link code; check it. ${MAKE_ONE}`)
      : row.used_at
        ? refuse('link_code_used', `${formatLinkCode(code)} was already used; a code links once. ${MAKE_ONE}`)
        : row.expires_at.getTime() <= now.getTime()
          ? refuse(
              'link_code_expired',
              `${formatLinkCode(code)} has expired (a code lasts ${LINK_CODE_TTL_S / 60} minutes, and a newer one replaces it). ${MAKE_ONE}`,
            )
          : undefined;
    if (wrong || !row) {
      await insertLinkAttempt(trx, userId, now);
      return wrong;
    }
    if (row.user_id === userId) {
      return refuse(
        'link_self',
        'This code was made by this same identity; enter it in the other app (Discord, Slack or your AI assistant) to link the two.',
      );
    }
    const mine = await listAccountMembers(trx, userId);
    if (mine.some((member) => member.id === row.user_id)) {
      return refuse('already_linked', 'These two identities are already linked; nothing changed.');
    }
    const theirs = await listAccountMembers(trx, row.user_id);
    const clash = mine.find((member) => theirs.some((other) => other.platform === member.platform));
    if (clash) {
      const app = APP_NAMES[clash.platform];
      return refuse(
        'link_platform_taken',
        `Both sides already have a ${app} identity, and linked identities may hold one per app. Unlink one first (/video unlink in ${app}, or unlink_account with platform "${clash.platform}"), then link again.`,
      );
    }
    const myHead = headOf(mine, userId);
    const theirHead = headOf(theirs, row.user_id);
    await lockHeads(trx, [myHead, theirHead]);
    if (!(await consumeLinkCode(trx, row.id, userId, now))) {
      return refuse('link_code_used', `${formatLinkCode(code)} was already used; a code links once. ${MAKE_ONE}`);
    }
    await mergeAccounts(trx, theirHead, myHead);
    return undefined;
  });
  if (outcome) throw outcome.refused;
  return accountView(ctx, userId);
}

/**
 * Takes one identity out of the owner's account: the one of `platform` (default: the owner's own),
 * which from then on sees only the videos and uploads it made itself, and so does the rest.
 * Refused, changing nothing: an identity linked to nothing, or no identity of `platform` (`not_linked`).
 */
export async function unlinkIdentity(ctx: ServiceContext, owner: Owner, platform?: string): Promise<UnlinkView> {
  if (platform !== undefined && !(PLATFORMS as readonly string[]).includes(platform)) {
    throw new UserError('invalid_platform', `platform must be one of ${PLATFORMS.join(', ')}; got “${platform}”.`);
  }
  const { db } = ctx.deps;
  const userId = await ctx.userIdOf(owner);
  const detached = await db.transaction().execute(async (trx) => {
    await lockAccountChanges(trx);
    const members = await listAccountMembers(trx, userId);
    if (members.length < 2) {
      throw new UserError('not_linked', 'This identity is not linked to any other; there is nothing to unlink.');
    }
    const target =
      platform === undefined || platform === owner.platform
        ? members.find((member) => member.id === userId)
        : members.find((member) => member.platform === platform);
    if (!target) {
      const linked = members.map((member) => APP_NAMES[member.platform]).join(', ');
      throw new UserError(
        'not_linked',
        `No ${APP_NAMES[platform as Platform]} identity is linked to yours (linked: ${linked}); nothing changed.`,
      );
    }
    await lockHeads(trx, [headOf(members, userId)]);
    await detachIdentity(trx, target.id);
    return target;
  });
  return { detached: identityView(detached, userId), ...(await accountView(ctx, userId)) };
}

/** The identities linked with the owner's (the owner alone when none is). */
export async function accountOf(ctx: ServiceContext, owner: Owner): Promise<AccountView> {
  return accountView(ctx, await ctx.userIdOf(owner));
}

async function accountView(ctx: ServiceContext, userId: string): Promise<AccountView> {
  const members = await listAccountMembers(ctx.deps.db, userId);
  const ordered = [
    ...members.filter((member) => member.id === userId),
    ...members.filter((member) => member.id !== userId),
  ];
  return { identities: ordered.map((member) => identityView(member, userId)) };
}

function identityView(user: UserRow, askerId: string): IdentityView {
  return {
    platform: user.platform,
    platformUserId: user.platform_user_id,
    displayName: user.display_name,
    you: user.id === askerId,
  };
}

function headOf(members: readonly UserRow[], fallback: string): string {
  return members.find((member) => member.linked_to === null)?.id ?? fallback;
}

function refuse(code: string, message: string): Refusal {
  return { refused: new UserError(code, message) };
}
