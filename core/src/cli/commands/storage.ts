import { PLATFORMS, type Platform } from '../../db/schema.js';
import { UserError } from '../../errors.js';
import type { LifecycleRuleView, StorageAdmin, StorageUsageView, SweepReport } from '../../service/storage-admin.js';
import { STORAGE_CATEGORIES, type StorageCategory } from '../../storage/lifecycle/usage.js';
import { type OptionSpec, type ParsedCommand, parseCommandArgs, stringOption } from '../args.js';
import { type CliCommand, type CliContext, printJson } from '../context.js';

const USAGES = {
  usage: 'reelsmith storage usage [--user PLATFORM:ID] [--json]',
  sweep: 'reelsmith storage sweep [--dry-run] [--json]',
  lifecycle: 'reelsmith storage lifecycle [--apply] [--json]',
} as const;
type Subcommand = keyof typeof USAGES;
const OPTIONS: Record<Subcommand, OptionSpec> = {
  usage: { user: { type: 'string' } },
  sweep: { 'dry-run': { type: 'boolean' } },
  lifecycle: { apply: { type: 'boolean' } },
};
const storageUsage = Object.values(USAGES).join('\n  ');

/** `reelsmith storage usage|sweep|lifecycle`: what a user holds, removing expired intermediates, the S3 rule. */
export const storageCommand: CliCommand = {
  name: 'storage',
  usage: storageUsage,
  summary:
    'what a user stores, by category; remove intermediates of versions no longer current (KEEP_INTERMEDIATES_HOURS); the S3 lifecycle rule (--apply puts it on the bucket)',
  async run(argv, ctx) {
    const [name, ...rest] = argv;
    if (!name) throw new UserError('missing_argument', `Missing the storage command. Usage:\n  ${storageUsage}`);
    if (!Object.hasOwn(USAGES, name)) {
      throw new UserError(
        'invalid_arguments',
        `Unknown storage command "${name}"; use usage, sweep or lifecycle. Usage:\n  ${storageUsage}`,
      );
    }
    const subcommand = name as Subcommand;
    const parsed = parseCommandArgs(rest, OPTIONS[subcommand], USAGES[subcommand]);
    if (parsed.positionals.length > 0) {
      throw new UserError(
        'invalid_arguments',
        `Unexpected argument "${parsed.positionals[0]}". Usage: ${USAGES[subcommand]}`,
      );
    }
    const owner = subcommand === 'usage' ? userOption(parsed, ctx) : ctx.owner;
    if (!ctx.storageAdmin) throw new Error('This CLI context cannot open storage');
    const admin = await ctx.storageAdmin();
    const json = parsed.values.json === true;
    if (subcommand === 'usage') return printUsage(ctx, await admin.usage(owner), json);
    if (subcommand === 'sweep') return sweep(ctx, admin, parsed.values['dry-run'] === true, json);
    return lifecycle(ctx, admin, parsed.values.apply === true, json);
  },
};

/** `--user discord:1234` (anyone's usage: the CLI is the operator's tool); the CLI user when absent. */
function userOption(parsed: ParsedCommand, ctx: CliContext): { platform: Platform; platformUserId: string } {
  const raw = stringOption(parsed.values, 'user');
  if (raw === undefined) return ctx.owner;
  const at = raw.indexOf(':');
  const platform = raw.slice(0, Math.max(at, 0));
  const platformUserId = raw.slice(at + 1).trim();
  if (at < 1 || !(PLATFORMS as readonly string[]).includes(platform) || platformUserId === '') {
    throw new UserError(
      'invalid_user',
      `--user must be PLATFORM:ID with PLATFORM one of ${PLATFORMS.join(', ')} (e.g. discord:123456789012345678); got "${raw}".`,
    );
  }
  return { platform: platform as Platform, platformUserId };
}

const LABELS: Record<StorageCategory, string> = {
  final: 'finals, takes, music',
  current_clip: 'current clips',
  earlier_clip: 'earlier clips',
  storyboard: 'storyboards',
  asset: 'assets',
  intermediate: 'intermediates',
  other: 'other',
};

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function printUsage(ctx: CliContext, usage: StorageUsageView, json: boolean): number {
  if (json) {
    printJson(ctx, usage);
    return 0;
  }
  const who = `${usage.owner.platform}:${usage.owner.platformUserId}`;
  ctx.stdout.write(
    `${who} stores ${formatBytes(usage.bytes)} in ${plural(usage.objects, 'object')} (${usage.backend} storage)\n`,
  );
  for (const category of STORAGE_CATEGORIES) {
    const { objects, bytes } = usage.categories[category];
    ctx.stdout.write(
      `  ${LABELS[category].padEnd(22)}${formatBytes(bytes).padStart(11)}  ${plural(objects, 'object')}\n`,
    );
  }
  return 0;
}

async function sweep(ctx: CliContext, admin: StorageAdmin, dryRun: boolean, json: boolean): Promise<number> {
  if (admin.backend === 's3') {
    ctx.stderr.write(
      'reelsmith: on S3 the bucket lifecycle rule expires intermediates by itself (`reelsmith storage lifecycle --apply`); sweeping now anyway.\n',
    );
  }
  const report: SweepReport = await admin.sweep({ dryRun });
  if (json) {
    printJson(ctx, { ...report, keepIntermediatesHours: admin.keepIntermediatesHours });
    return 0;
  }
  const verb = dryRun ? 'Would remove' : 'Removed';
  ctx.stdout.write(
    `${verb} ${plural(report.objects, 'intermediate')} (${formatBytes(report.bytes)}) of ${plural(report.versions, 'clip version')} no longer current since before ${report.cutoff} (KEEP_INTERMEDIATES_HOURS=${admin.keepIntermediatesHours}).\n`,
  );
  if (dryRun) for (const key of report.keys) ctx.stdout.write(`  ${key}\n`);
  return 0;
}

async function lifecycle(ctx: CliContext, admin: StorageAdmin, apply: boolean, json: boolean): Promise<number> {
  const view: LifecycleRuleView = apply ? await admin.applyLifecycleRule() : await admin.lifecycleRule();
  if (json) {
    printJson(ctx, { ...view, applied: apply });
    return 0;
  }
  const days = plural(view.expirationDays, 'day');
  ctx.stdout.write(
    `${apply ? 'Applied to' : 'Rule for'} bucket ${view.bucket}: objects tagged ${view.tag.key}=${view.tag.value} expire ${days} after they were written (KEEP_INTERMEDIATES_HOURS=${view.keepIntermediatesHours}, rounded up to whole days).\n`,
  );
  ctx.stdout.write(`${JSON.stringify({ Rules: [view.rule] }, null, 2)}\n`);
  if (!apply)
    ctx.stdout.write('Put it on the bucket with `reelsmith storage lifecycle --apply` (other rules are kept).\n');
  return 0;
}
