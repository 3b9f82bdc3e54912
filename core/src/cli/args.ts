import { parseArgs } from 'node:util';
import { UserError } from '../errors.js';

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

export interface ParsedCommand {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
}

/** Parses one command's arguments strictly: an unknown option or a missing value is a UserError. */
export function parseCommandArgs(argv: readonly string[], options: OptionSpec, usage: string): ParsedCommand {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: { ...options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { positionals, values: values as ParsedCommand['values'] };
  } catch (error) {
    throw new UserError('invalid_arguments', `${(error as Error).message.split('\n')[0]}. Usage: ${usage}`, {
      cause: error,
    });
  }
}

/** A number option (`--duration 15`); absent → undefined. @throws UserError naming the option. */
export function numberOption(values: ParsedCommand['values'], name: string, code: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value)) throw new UserError(code, `--${name} must be a number; got "${String(raw)}".`);
  return value;
}

export function stringOption(values: ParsedCommand['values'], name: string): string | undefined {
  const raw = values[name];
  return typeof raw === 'string' ? raw : undefined;
}

/** The one required positional (`<prompt>`, `<videoId>`). */
export function requiredPositional(parsed: ParsedCommand, what: string, usage: string): string {
  const value = parsed.positionals.join(' ').trim();
  if (!value) throw new UserError('missing_argument', `Missing ${what}. Usage: ${usage}`);
  return value;
}
