/**
 * The checks Discord applies to a message or modal payload, as the fake enforces them: a payload
 * Discord would refuse is answered 400 with Discord's error shape, so a bot that builds it wrong
 * fails its tests the way it would fail in production.
 */

/** Component types (discord-api-types `ComponentType`). */
export const COMPONENT = {
  ActionRow: 1,
  Button: 2,
  StringSelect: 3,
  TextInput: 4,
  Section: 9,
  TextDisplay: 10,
  Thumbnail: 11,
  MediaGallery: 12,
  File: 13,
  Separator: 14,
  Container: 17,
  Label: 18,
} as const;

/** `MessageFlags.IsComponentsV2`. */
export const IS_COMPONENTS_V2 = 1 << 15;
export const EPHEMERAL = 1 << 6;

export interface Component {
  type: number;
  custom_id?: string;
  components?: Component[];
  accessory?: Component;
  items?: Array<{ media?: { url?: string } }>;
  file?: { url?: string };
  media?: { url?: string };
  content?: string;
  label?: string;
  style?: number;
  url?: string;
  value?: string;
  max_length?: number;
  min_length?: number;
  component?: Component;
  [key: string]: unknown;
}

export interface MessagePayload {
  content?: string;
  embeds?: unknown[];
  components?: Component[];
  flags?: number;
  attachments?: Array<{ id: string | number; filename?: string }>;
  [key: string]: unknown;
}

/** Every component of a tree, depth first (accessories and modal label children included). */
export function allComponents(components: readonly Component[] = []): Component[] {
  return components.flatMap((component) => [
    component,
    ...allComponents(component.components ?? []),
    ...(component.accessory ? [component.accessory] : []),
    ...(component.component ? allComponents([component.component]) : []),
  ]);
}

/**
 * What is wrong with a message payload (empty when Discord would take it). `files`: the names of
 * the files uploaded with it.
 */
export function messageProblems(payload: MessagePayload, files: readonly string[] = []): string[] {
  const problems: string[] = [];
  const components = payload.components ?? [];
  const all = allComponents(components);
  const v2 = ((payload.flags ?? 0) & IS_COMPONENTS_V2) !== 0;
  const ids = all.map((component) => component.custom_id).filter((id): id is string => id !== undefined);
  for (const id of ids) {
    if (id.length < 1 || id.length > 100) problems.push(`custom_id must be 1-100 characters: ${id}`);
  }
  if (new Set(ids).size !== ids.length) problems.push('custom_id values must be unique within a message');
  if (typeof payload.nonce === 'string' && payload.nonce.length > 25)
    problems.push('nonce must be at most 25 characters');
  if (v2) {
    if (payload.content) problems.push('content cannot be used with IS_COMPONENTS_V2');
    if (payload.embeds && payload.embeds.length > 0) problems.push('embeds cannot be used with IS_COMPONENTS_V2');
    if (all.length > 40) problems.push(`a message may hold at most 40 components, got ${all.length}`);
    for (const gallery of all.filter((c) => c.type === COMPONENT.MediaGallery)) {
      const n = gallery.items?.length ?? 0;
      if (n < 1 || n > 10) problems.push(`a media gallery holds 1-10 items, got ${n}`);
    }
    for (const thumbnail of all.filter((c) => c.type === COMPONENT.Thumbnail)) {
      if (/\.(mp4|webm|mov)$/i.test(thumbnail.media?.url ?? '')) problems.push('a thumbnail cannot be a video');
    }
    const referenced = all.flatMap((c) => [
      ...(c.items ?? []).map((item) => item.media?.url),
      c.file?.url,
      c.media?.url,
    ]);
    for (const url of referenced) {
      if (url?.startsWith('attachment://') && !files.includes(url.slice('attachment://'.length))) {
        problems.push(`${url} names no uploaded file`);
      }
    }
  } else {
    const rows = components;
    if (rows.length > 5) problems.push('at most 5 action rows');
    for (const row of rows) {
      if (row.type !== COMPONENT.ActionRow)
        problems.push('top-level components must be action rows without IS_COMPONENTS_V2');
      if ((row.components?.length ?? 0) > 5) problems.push('at most 5 buttons per action row');
    }
    if (!payload.content && !(payload.embeds?.length ?? 0) && files.length === 0 && rows.length === 0) {
      problems.push('a message needs content, embeds, components or files');
    }
  }
  for (const button of all.filter((c) => c.type === COMPONENT.Button)) {
    if ((button.label?.length ?? 0) > 80) problems.push('button labels are at most 80 characters');
  }
  return problems;
}

/** What is wrong with a modal (interaction callback type 9). */
export function modalProblems(data: { title?: string; custom_id?: string; components?: Component[] }): string[] {
  const problems: string[] = [];
  if (!data.title || data.title.length > 45) problems.push('a modal title is 1-45 characters');
  if (!data.custom_id || data.custom_id.length > 100) problems.push('a modal custom_id is 1-100 characters');
  const inputs = allComponents(data.components ?? []).filter((c) => c.type === COMPONENT.TextInput);
  if (inputs.length === 0) problems.push('a modal needs a text input');
  for (const input of inputs) {
    if ((input.value?.length ?? 0) > 4000) problems.push('a text input value is at most 4000 characters');
    if ((input.max_length ?? 0) > 4000) problems.push('a text input max_length is at most 4000');
  }
  return problems;
}

/** What is wrong with an application command definition (the deploy payload). */
export function commandProblems(command: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const name = /^[-_\p{L}\p{N}]{1,32}$/u;
  const check = (node: Record<string, unknown>, path: string) => {
    if (typeof node.name !== 'string' || !name.test(node.name) || node.name !== node.name.toLowerCase()) {
      problems.push(`${path}: name must be 1-32 lowercase characters`);
    }
    const description = node.description;
    if (typeof description !== 'string' || description.length < 1 || description.length > 100) {
      problems.push(`${path}: description must be 1-100 characters`);
    }
    const options = (node.options as Array<Record<string, unknown>> | undefined) ?? [];
    if (options.length > 25) problems.push(`${path}: at most 25 options`);
    let optionalSeen = false;
    for (const option of options) {
      const type = option.type as number;
      if (!Number.isInteger(type) || type < 1 || type > 11) problems.push(`${path}.${String(option.name)}: bad type`);
      if (type > 2) {
        if (option.required) {
          if (optionalSeen) problems.push(`${path}: required options must come before optional ones`);
        } else optionalSeen = true;
      }
      const choices = (option.choices as unknown[] | undefined) ?? [];
      if (choices.length > 25) problems.push(`${path}.${String(option.name)}: at most 25 choices`);
      if (choices.length > 0 && option.autocomplete)
        problems.push(`${path}.${String(option.name)}: choices and autocomplete`);
      check(option, `${path}.${String(option.name)}`);
    }
  };
  check(command, String(command.name));
  return problems;
}
