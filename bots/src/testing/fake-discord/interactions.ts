import type { FakeAttachment, FakeMessage, FakeUser } from './types.js';

/**
 * Raw interaction payloads as Discord sends them in INTERACTION_CREATE (API v10), with every field
 * discord.js reads (`entitlements`, `authorizing_integration_owners`, `channel`, the member, the
 * upload limit). The fake fills in `id` and `token` when it dispatches one.
 */
export interface InteractionContext {
  applicationId: string;
  guildId: string;
  channelId: string;
  user: FakeUser;
  attachmentSizeLimit: number;
}

/** A slash-command option (`type` 3 string, 4 integer, 5 boolean, 11 attachment, 1 subcommand). */
export interface CommandOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  options?: CommandOption[];
}

function base(ctx: InteractionContext, type: number, data: Record<string, unknown>) {
  return {
    application_id: ctx.applicationId,
    type,
    data,
    guild_id: ctx.guildId,
    channel_id: ctx.channelId,
    channel: { id: ctx.channelId, type: 0, guild_id: ctx.guildId, name: 'general' },
    member: {
      user: {
        id: ctx.user.id,
        username: ctx.user.username,
        discriminator: '0',
        global_name: ctx.user.username,
        avatar: null,
      },
      roles: [],
      permissions: '2251799813685247',
      joined_at: '2026-01-01T00:00:00.000Z',
      deaf: false,
      mute: false,
      flags: 0,
    },
    app_permissions: '2251799813685247',
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': ctx.guildId },
    context: 0,
    attachment_size_limit: ctx.attachmentSizeLimit,
    version: 1,
  };
}

/** `/video <subcommand> …options`; attachments go in `resolved.attachments`. */
export function slashCommand(
  ctx: InteractionContext,
  subcommand: string,
  options: CommandOption[] = [],
  attachments: FakeAttachment[] = [],
): Record<string, unknown> {
  return base(ctx, 2, {
    id: '1100000000000000001',
    name: 'video',
    type: 1,
    options: [{ type: 1, name: subcommand, options }],
    ...(attachments.length > 0
      ? { resolved: { attachments: Object.fromEntries(attachments.map((a) => [a.id, a])) } }
      : {}),
  });
}

/** An autocomplete request for the focused option of `/video <subcommand>`. */
export function autocomplete(ctx: InteractionContext, subcommand: string, options: CommandOption[]) {
  return {
    ...base(ctx, 4, {
      id: '1100000000000000001',
      name: 'video',
      type: 1,
      options: [{ type: 1, name: subcommand, options }],
    }),
  };
}

/** A button press on `message`. */
export function buttonPress(ctx: InteractionContext, message: FakeMessage, customId: string) {
  return {
    ...base(ctx, 3, { custom_id: customId, component_type: 2 }),
    message: {
      ...message,
      type: 0,
      pinned: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      tts: false,
    },
  };
}

/** A modal submitted with one text input (inside a label, as Discord sends label-based modals). */
export function modalSubmit(
  ctx: InteractionContext,
  customId: string,
  inputId: string,
  value: string,
  message?: FakeMessage,
) {
  return {
    ...base(ctx, 5, {
      custom_id: customId,
      components: [{ type: 18, id: 1, component: { type: 4, id: 2, custom_id: inputId, value } }],
    }),
    ...(message
      ? {
          message: {
            ...message,
            type: 0,
            mentions: [],
            mention_roles: [],
            tts: false,
            pinned: false,
            mention_everyone: false,
          },
        }
      : {}),
  };
}
