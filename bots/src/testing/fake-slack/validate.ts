/**
 * Block Kit checks as Slack applies them to `chat.postMessage`, `chat.update`, `chat.postEphemeral`
 * and `views.open` (https://docs.slack.dev/reference/block-kit): block counts, text lengths, ids,
 * element counts. Each problem is one line naming where it is, like Slack's `invalid_blocks` errors.
 */

type Json = Record<string, unknown>;

const MESSAGE_BLOCK_TYPES = new Set(['section', 'header', 'context', 'actions', 'divider', 'image', 'rich_text']);
const MODAL_BLOCK_TYPES = new Set([...MESSAGE_BLOCK_TYPES, 'input']);

/** Problems with a message's `text` and `blocks`; empty when Slack would take it. */
export function messageProblems(args: { text?: unknown; blocks?: unknown }): string[] {
  const problems: string[] = [];
  const text = args.text;
  const blocks = args.blocks as unknown;
  if ((typeof text !== 'string' || text.length === 0) && !Array.isArray(blocks)) problems.push('no_text');
  if (typeof text === 'string' && text.length > 40_000) problems.push('msg_too_long: text over 40000 characters');
  if (blocks !== undefined) problems.push(...blocksProblems(blocks, 50, MESSAGE_BLOCK_TYPES));
  return problems;
}

/** Problems with a modal view. */
export function viewProblems(view: unknown): string[] {
  if (!isObject(view)) return ['invalid view: not an object'];
  const problems: string[] = [];
  if (view.type !== 'modal') problems.push('view.type must be modal');
  problems.push(...plainText(view.title, 24, 'view.title', true));
  if (view.submit !== undefined) problems.push(...plainText(view.submit, 24, 'view.submit', true));
  if (view.close !== undefined) problems.push(...plainText(view.close, 24, 'view.close', true));
  if (typeof view.callback_id === 'string' && view.callback_id.length > 255) problems.push('view.callback_id over 255');
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000)
    problems.push('view.private_metadata over 3000 characters');
  problems.push(...blocksProblems(view.blocks, 100, MODAL_BLOCK_TYPES));
  const hasInput = Array.isArray(view.blocks) && view.blocks.some((block) => isObject(block) && block.type === 'input');
  if (hasInput && view.submit === undefined) problems.push('view.submit is required when the view has input blocks');
  return problems;
}

function blocksProblems(blocks: unknown, maxBlocks: number, allowed: ReadonlySet<string>): string[] {
  if (!Array.isArray(blocks)) return ['blocks must be an array'];
  const problems: string[] = [];
  if (blocks.length > maxBlocks) problems.push(`too many blocks: ${blocks.length} (at most ${maxBlocks})`);
  const blockIds = new Set<string>();
  blocks.forEach((block, i) => {
    const at = `blocks[${i}]`;
    if (!isObject(block) || typeof block.type !== 'string' || !allowed.has(block.type)) {
      problems.push(`${at}: unknown block type ${isObject(block) ? String(block.type) : typeof block}`);
      return;
    }
    if (block.block_id !== undefined) {
      const id = String(block.block_id);
      if (id.length > 255) problems.push(`${at}.block_id over 255 characters`);
      if (blockIds.has(id)) problems.push(`${at}.block_id ${id} is not unique`);
      blockIds.add(id);
    }
    // An action_id is unique among the action_ids of its block (Block Kit reference).
    problems.push(...blockProblems(block, at, new Set<string>()));
  });
  return problems;
}

function blockProblems(block: Json, at: string, actionIds: Set<string>): string[] {
  switch (block.type) {
    case 'section': {
      const problems: string[] = [];
      if (block.text === undefined && block.fields === undefined) problems.push(`${at}: section needs text or fields`);
      if (block.text !== undefined) problems.push(...textObject(block.text, 3000, `${at}.text`));
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields) || block.fields.length > 10) problems.push(`${at}.fields: at most 10`);
        else block.fields.forEach((f, j) => void problems.push(...textObject(f, 2000, `${at}.fields[${j}]`)));
      }
      if (block.accessory !== undefined)
        problems.push(...elementProblems(block.accessory, `${at}.accessory`, actionIds));
      return problems;
    }
    case 'header':
      return plainText(block.text, 150, `${at}.text`, true);
    case 'context': {
      const elements = block.elements;
      if (!Array.isArray(elements) || elements.length === 0 || elements.length > 10)
        return [`${at}.elements: 1 to 10 elements`];
      return elements.flatMap((element, j) =>
        isObject(element) && element.type === 'image'
          ? imageProblems(element, `${at}.elements[${j}]`)
          : textObject(element, 3000, `${at}.elements[${j}]`),
      );
    }
    case 'actions': {
      const elements = block.elements;
      if (!Array.isArray(elements) || elements.length === 0 || elements.length > 25)
        return [`${at}.elements: 1 to 25 elements`];
      return elements.flatMap((element, j) => elementProblems(element, `${at}.elements[${j}]`, actionIds));
    }
    case 'image':
      return imageProblems(block, at);
    case 'input': {
      const problems = plainText(block.label, 2000, `${at}.label`, true);
      if (block.hint !== undefined) problems.push(...plainText(block.hint, 2000, `${at}.hint`, true));
      problems.push(...elementProblems(block.element, `${at}.element`, actionIds));
      return problems;
    }
    default:
      return [];
  }
}

function elementProblems(element: unknown, at: string, actionIds: Set<string>): string[] {
  if (!isObject(element)) return [`${at}: not an element`];
  const problems: string[] = [];
  if (element.action_id !== undefined) {
    const id = String(element.action_id);
    if (id.length > 255) problems.push(`${at}.action_id over 255 characters`);
    if (actionIds.has(id)) problems.push(`${at}.action_id ${id} is not unique`);
    actionIds.add(id);
  }
  switch (element.type) {
    case 'button':
      problems.push(...plainText(element.text, 75, `${at}.text`, true));
      if (typeof element.value === 'string' && element.value.length > 2000) problems.push(`${at}.value over 2000`);
      if (typeof element.url === 'string' && element.url.length > 3000) problems.push(`${at}.url over 3000`);
      if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger')
        problems.push(`${at}.style must be primary or danger`);
      return problems;
    case 'plain_text_input': {
      const max = element.max_length === undefined ? 3000 : Number(element.max_length);
      if (max > 3000) problems.push(`${at}.max_length over 3000`);
      if (typeof element.initial_value === 'string' && element.initial_value.length > max)
        problems.push(`${at}.initial_value longer than max_length ${max}`);
      return problems;
    }
    case 'static_select': {
      const options = element.options;
      if (!Array.isArray(options) || options.length === 0 || options.length > 100)
        return [...problems, `${at}.options: 1 to 100 options`];
      options.forEach((option, j) => {
        if (!isObject(option)) return;
        problems.push(...plainText(option.text, 75, `${at}.options[${j}].text`, true));
        if (String(option.value ?? '').length > 150) problems.push(`${at}.options[${j}].value over 150`);
      });
      return problems;
    }
    case 'checkboxes': {
      // 1–10 options; an option's text (plain_text or mrkdwn) at most 75 characters, its value 150.
      const options = element.options;
      if (!Array.isArray(options) || options.length === 0 || options.length > 10)
        return [...problems, `${at}.options: 1 to 10 options`];
      options.forEach((option, j) => {
        if (!isObject(option)) return;
        problems.push(...textObject(option.text, 75, `${at}.options[${j}].text`));
        if (String(option.value ?? '').length > 150) problems.push(`${at}.options[${j}].value over 150`);
      });
      return problems;
    }
    case 'file_input':
      if (element.max_files !== undefined && Number(element.max_files) > 10) problems.push(`${at}.max_files over 10`);
      return problems;
    case 'image':
      return imageProblems(element, at);
    default:
      return [...problems, `${at}: unknown element type ${String(element.type)}`];
  }
}

function imageProblems(image: Json, at: string): string[] {
  const problems: string[] = [];
  if (typeof image.image_url !== 'string' && !isObject(image.slack_file)) problems.push(`${at}: image needs a source`);
  if (typeof image.image_url === 'string' && image.image_url.length > 3000) problems.push(`${at}.image_url over 3000`);
  if (typeof image.alt_text !== 'string' || image.alt_text.length > 2000) problems.push(`${at}.alt_text required`);
  return problems;
}

function textObject(text: unknown, max: number, at: string): string[] {
  if (!isObject(text) || (text.type !== 'mrkdwn' && text.type !== 'plain_text')) return [`${at}: not a text object`];
  if (typeof text.text !== 'string' || text.text.length === 0) return [`${at}.text must not be empty`];
  return text.text.length > max ? [`${at}.text over ${max} characters (${text.text.length})`] : [];
}

function plainText(text: unknown, max: number, at: string, required: boolean): string[] {
  if (text === undefined) return required ? [`${at} is required`] : [];
  if (!isObject(text) || text.type !== 'plain_text') return [`${at} must be plain_text`];
  return textObject(text, max, at);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
