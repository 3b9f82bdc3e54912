import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { closestName } from './closest-name.js';

/** The stable code of a tool call whose arguments do not match the tool's input schema. */
export const INVALID_ARGUMENTS = 'invalid_arguments';

/** One argument to fix: its path (`scene`, `images[0].url`) and what to send instead. */
export interface ArgumentProblem {
  argument: string;
  message: string;
}

export type ParsedArguments<T> = { ok: true; data: T } | { ok: false; problems: ArgumentProblem[] };

/**
 * Parses a tool's raw `arguments` with its (strict) input schema. On failure every problem becomes
 * one `ArgumentProblem` that names the argument and says what to send: the field's own message when
 * the schema has one, else a plain one written here; a missing argument reads `missing; …`, a wrong
 * type ends with what was sent, and an unknown argument suggests the closest real one.
 */
export async function parseArguments<S extends z.ZodObject>(
  schema: S,
  tool: string,
  args: unknown,
): Promise<ParsedArguments<z.output<S>>> {
  const parsed = await schema.safeParseAsync(args ?? {}, { reportInput: true, error: plainMessage });
  if (parsed.success) return { ok: true, data: parsed.data };
  const known = Object.keys(schema.shape);
  return { ok: false, problems: parsed.error.issues.flatMap((issue) => problemsOf(issue, tool, known)) };
}

/**
 * The `isError` result of a refused call: one line per problem, argument first, so the first line
 * already says what to fix; the stable code and the problems as data are in `_meta`.
 */
export function invalidArgumentsResult(problems: ArgumentProblem[]): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: argumentProblemsText(problems) }],
    _meta: { 'reelsmith/error_code': INVALID_ARGUMENTS, 'reelsmith/invalid_arguments': problems },
  };
}

/** The problems as the lines of a refused call's text: `argument: what to send`, one per problem. */
export function argumentProblemsText(problems: ArgumentProblem[]): string {
  return problems.map((p) => `${p.argument}: ${p.message}`).join('\n');
}

/**
 * The problems back from `argumentProblemsText` (a refused MCP task keeps only its text): each line
 * split at its first `: `, so an argument name that itself holds `: ` splits early; the text is the
 * same either way.
 */
export function argumentProblemsOf(text: string): ArgumentProblem[] {
  return text.split('\n').map((line) => {
    const at = line.indexOf(': ');
    return at < 0
      ? { argument: '(arguments)', message: line }
      : { argument: line.slice(0, at), message: line.slice(at + 2) };
  });
}

function problemsOf(issue: z.core.$ZodIssue, tool: string, known: string[]): ArgumentProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      argument: pathOf([...issue.path, key]),
      message: unknownArgument(key, tool, known),
    }));
  }
  const fix = issue.message.replace(/\.$/, '');
  const argument = pathOf(issue.path);
  if (issue.code === 'invalid_type' && issue.input === undefined) return [{ argument, message: `missing; ${fix}.` }];
  if (issue.code === 'invalid_type') return [{ argument, message: `${fix}; got ${describeValue(issue.input)}.` }];
  return [{ argument, message: `${fix}.` }];
}

function unknownArgument(key: string, tool: string, known: string[]): string {
  const guess = closestName(key, known);
  if (guess) return `not an argument of ${tool}; did you mean ${guess}?`;
  const takes = known.length > 0 ? `it takes ${known.join(', ')}` : 'it takes no arguments';
  return `not an argument of ${tool}; leave it out (${takes}).`;
}

/** The message for an issue whose schema has none of its own: what to send, in plain words. */
function plainMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return `send ${TYPE_WORDS[issue.expected] ?? `a ${issue.expected}`}`;
    case 'too_big':
      return `send ${bound('at most', issue.origin, issue.maximum, issue.inclusive !== false)}`;
    case 'too_small':
      return `send ${bound('at least', issue.origin, issue.minimum, issue.inclusive !== false)}`;
    case 'not_multiple_of':
      return `send a multiple of ${issue.divisor}`;
    case 'invalid_value':
      return `send one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_format':
      return `send a valid ${issue.format}`;
    case 'invalid_union':
      return "send a value of one of the forms the tool's input schema lists";
    default:
      return undefined;
  }
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

function bound(limit: 'at most' | 'at least', origin: string, value: number | bigint, inclusive: boolean): string {
  if (origin === 'string') return `${limit} ${value} characters`;
  if (origin === 'array' || origin === 'set') return `${limit} ${value} items`;
  if (limit === 'at most') return `a number ${inclusive ? '≤' : '<'} ${value}`;
  return `a number ${inclusive ? '≥' : '>'} ${value}`;
}

/** `['images', 0, 'url']` → `images[0].url`. */
function pathOf(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(arguments)';
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${String(part)}`))
    .join('');
}

/** What was sent, short enough to echo: `the string "2"`, `a list of 3 items`, `null`. */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'string')
    return value.length <= 40 ? `the string ${JSON.stringify(value)}` : `a string of ${value.length} characters`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}
