import type { CreateVideoRequest } from '@reelsmith/core';

/** What a `/video …` text asks for. */
export type ParsedCommand =
  | { kind: 'modal' }
  | { kind: 'help' }
  | { kind: 'models' }
  | { kind: 'flavors' }
  | { kind: 'status'; videoId?: string }
  | { kind: 'cancel'; videoId?: string }
  | { kind: 'link'; code?: string }
  | { kind: 'unlink' }
  | { kind: 'estimate'; request: Pick<CreateVideoRequest, 'prompt' | 'durationS' | 'model'> }
  /** `preview`: a free animatic preview first (`--preview`), rendered later from its card. */
  | { kind: 'create'; request: CreateVideoRequest; preview: boolean }
  | { kind: 'error'; message: string };

const CREATE_FLAGS = ['duration', 'mode', 'model', 'flavor', 'character', 'preview'] as const;
const ESTIMATE_FLAGS = ['duration', 'model'] as const;
type Flag = (typeof CREATE_FLAGS)[number];
/** Options that take no value: present means yes (`--preview`; `--preview=no` spells out the default). */
const SWITCHES: ReadonlySet<string> = new Set(['preview']);
const YES = new Set(['true', 'yes', 'on', '1']);
const NO = new Set(['false', 'no', 'off', '0']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const QUOTES: Record<string, string> = { '"': '"', '“': '”', '„': '“' };

export const USAGE = [
  '*/video* — open the form (prompt, reference image, audio, options)',
  '*/video* `<prompt> [--duration 15] [--mode ad|music_video] [--model KEY] [--flavor NAME] [--character "…"] [--preview]`',
  '`--preview`: a free animatic preview first; its final card offers the paid render',
  '*/video status* `[id]` · */video cancel* `[id]` · */video estimate* `<prompt> [--duration] [--model]`',
  '*/video link* `[code]` — one set of videos with your AI assistant or Discord · */video unlink*',
  '*/video models* · */video flavors* · */video help*',
].join('\n');

/**
 * Parses the text of `/video`. The first word picks a subcommand (`help`, `models`, `flavors`,
 * `status [id]`, `cancel [id]`, `link [code]`, `unlink`, `estimate …`, an optional `create`); anything
 * else is a prompt. A link code's form is the service's to check (it may be typed with a space).
 * Options are `--name value` or `--name=value` (a value with spaces in double quotes; the em dash
 * some keyboards make of `--` is accepted), and `--preview` takes no value (`--preview=no` is also
 * understood); the prompt is the rest of the text, kept as typed.
 * Ranges and names (duration, model, flavor) are the service's to check, with its messages.
 */
export function parseCommandText(raw: string): ParsedCommand {
  const text = raw.trim();
  if (text === '') return { kind: 'modal' };
  const [first = '', ...restWords] = text.split(/\s+/);
  const word = first.toLowerCase();
  const rest = text.slice(first.length).trim();
  if (word === 'help' || word === 'models' || word === 'flavors' || word === 'unlink') {
    if (restWords.length > 0) return { kind: 'error', message: `\`/video ${word}\` takes nothing after it.\n${USAGE}` };
    return { kind: word };
  }
  if (word === 'status' || word === 'cancel') {
    if (rest === '') return { kind: word };
    if (restWords.length === 1 && UUID.test(rest)) return { kind: word, videoId: rest.toLowerCase() };
    return {
      kind: 'error',
      message: `\`/video ${word}\` takes a video id (from \`/video status\`), not “${truncated(rest)}”. To make a video about it, type \`/video create ${word} ${truncated(rest)}\`.`,
    };
  }
  if (word === 'link') {
    if (rest === '') return { kind: 'link' };
    if (restWords.length <= 2 && rest.length <= 20) return { kind: 'link', code: rest };
    return {
      kind: 'error',
      message: `\`/video link\` takes a link code like \`ABCD-EFGH\` (or nothing, to get one), not “${truncated(rest)}”. To make a video about it, type \`/video create link ${truncated(rest)}\`.`,
    };
  }
  if (word === 'estimate') {
    const parsed = splitOptions(rest, ESTIMATE_FLAGS);
    if ('error' in parsed) return { kind: 'error', message: parsed.error };
    if (!parsed.prompt)
      return {
        kind: 'error',
        message: 'Say what the video shows: `/video estimate a red sneaker on a rooftop --duration 30`.',
      };
    const request = requestFrom(parsed.prompt, parsed.options);
    if ('error' in request) return { kind: 'error', message: request.error };
    return { kind: 'estimate', request };
  }
  const parsed = splitOptions(word === 'create' ? rest : text, CREATE_FLAGS);
  if ('error' in parsed) return { kind: 'error', message: parsed.error };
  if (!parsed.prompt)
    return {
      kind: 'error',
      message:
        'Say what the video shows: `/video a red sneaker on a rooftop --duration 15`, or `/video` alone for the form.',
    };
  const request = requestFrom(parsed.prompt, parsed.options);
  if ('error' in request) return { kind: 'error', message: request.error };
  return { kind: 'create', request, preview: parsed.options.preview === 'true' };
}

function requestFrom(prompt: string, options: Partial<Record<Flag, string>>): CreateVideoRequest | { error: string } {
  const request: CreateVideoRequest = { prompt };
  if (options.duration !== undefined) {
    const seconds = options.duration.replace(/s$/i, '');
    if (!/^\d{1,4}$/.test(seconds))
      return { error: `--duration takes whole seconds, like \`--duration 15\`, not “${truncated(options.duration)}”.` };
    request.durationS = Number(seconds);
  }
  if (options.mode !== undefined) {
    const mode = options.mode.toLowerCase().replace('-', '_');
    if (mode !== 'ad' && mode !== 'music_video')
      return { error: `--mode is \`ad\` or \`music_video\`, not “${truncated(options.mode)}”.` };
    request.mode = mode;
  }
  if (options.model !== undefined) request.model = options.model;
  if (options.flavor !== undefined) request.flavor = options.flavor;
  if (options.character !== undefined) request.characterDescription = options.character;
  return request;
}

/** Splits `--name value` options out of `text`; the prompt is what remains, with single spaces where options were. */
function splitOptions(
  text: string,
  allowed: readonly Flag[],
): { prompt: string; options: Partial<Record<Flag, string>> } | { error: string } {
  const options: Partial<Record<Flag, string>> = {};
  const pieces: string[] = [];
  let i = 0;
  let pieceStart = 0;
  while (i < text.length) {
    const atWordStart = i === 0 || /\s/.test(text[i - 1] ?? '');
    const dash = text.startsWith('--', i) ? 2 : text[i] === '—' ? 1 : 0;
    if (!atWordStart || dash === 0 || !/[a-z]/i.test(text[i + dash] ?? '')) {
      i += 1;
      continue;
    }
    pieces.push(text.slice(pieceStart, i));
    const nameMatch = /^[a-z][a-z_-]*/i.exec(text.slice(i + dash));
    const name = (nameMatch?.[0] ?? '').toLowerCase();
    let j = i + dash + name.length;
    if (!(allowed as readonly string[]).includes(name)) {
      return {
        error: `Unknown option --${name}. Options here: ${allowed.map((flag) => `--${flag}`).join(', ')}.\n${USAGE}`,
      };
    }
    if (options[name as Flag] !== undefined) return { error: `--${name} is given twice; keep one.` };
    if (SWITCHES.has(name)) {
      let value = 'true';
      if (text[j] === '=') {
        const start = j + 1;
        j = start;
        while (j < text.length && !/\s/.test(text[j] ?? '')) j += 1;
        const said = text.slice(start, j).toLowerCase();
        if (!YES.has(said) && !NO.has(said))
          return { error: `--${name} takes no value (or \`--${name}=no\`), not “${truncated(said)}”.` };
        value = YES.has(said) ? 'true' : 'false';
      }
      options[name as Flag] = value;
      i = j;
      pieceStart = j;
      continue;
    }
    if (text[j] === '=') j += 1;
    else while (j < text.length && /\s/.test(text[j] ?? '')) j += 1;
    const open = text[j] ?? '';
    let value: string;
    if (QUOTES[open]) {
      const close = text.indexOf(QUOTES[open] as string, j + 1);
      const closeAlt = open === '"' ? -1 : text.indexOf('"', j + 1);
      const end = close >= 0 ? close : closeAlt;
      if (end < 0) return { error: `The value of --${name} opens a quote that never closes.` };
      value = text.slice(j + 1, end);
      j = end + 1;
    } else {
      const start = j;
      while (j < text.length && !/\s/.test(text[j] ?? '')) j += 1;
      value = text.slice(start, j);
    }
    if (value.trim() === '' || value.startsWith('--'))
      return { error: `--${name} needs a value, like \`--${name} ${example(name as Flag)}\`.` };
    options[name as Flag] = value.trim();
    i = j;
    pieceStart = j;
  }
  pieces.push(text.slice(pieceStart));
  const prompt = pieces
    .map((piece) => piece.trim())
    .filter(Boolean)
    .join(' ');
  return { prompt, options };
}

function example(flag: Flag): string {
  return {
    duration: '15',
    mode: 'music_video',
    model: 'hailuo',
    flavor: 'cinematic',
    character: '"a fox in a red coat"',
    preview: '',
  }[flag];
}

function truncated(text: string): string {
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
