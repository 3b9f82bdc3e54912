import { basename } from 'node:path';
import { UserError } from '../../errors.js';
import type { AssetSearchQuery } from '../../service/asset-types.js';
import { numberOption, type ParsedCommand, parseCommandArgs, stringOption } from '../args.js';
import { type CliCommand, type CliContext, printJson } from '../context.js';
import { renderAssetList, renderAssetSearch, renderAssetView } from '../render-assets.js';
import { readInputFile } from './generate.js';

const usage = [
  'reelsmith assets list [--kind image|audio|character_reference] [--tag TAG] [--limit N] [--json]',
  'reelsmith assets add <file> [--name NAME] [--tag TAG]… [--json]',
  'reelsmith assets show <assetId> [--json]',
  'reelsmith assets rename <assetId> <name> [--json]',
  'reelsmith assets tag <assetId> [--add TAG]… [--remove TAG]… [--json]',
  'reelsmith assets delete <assetId> [--json]',
  'reelsmith assets search (--text QUERY | --similar ASSET_ID | --style ID,ID…) [--limit N] [--min-score S] [--json]',
].join('\n  ');

type Subcommand = (parsed: ParsedCommand, ctx: CliContext) => Promise<number>;

const OPTIONS = {
  kind: { type: 'string' },
  tag: { type: 'string', multiple: true },
  limit: { type: 'string' },
  name: { type: 'string' },
  add: { type: 'string', multiple: true },
  remove: { type: 'string', multiple: true },
  text: { type: 'string' },
  similar: { type: 'string' },
  style: { type: 'string' },
  'min-score': { type: 'string' },
} as const;

/**
 * `reelsmith assets …`: the brand library (uploads and character references) of the CLI user.
 * Every subcommand is owner-scoped through the service; `--json` prints the service's views.
 */
export const assetsCommand: CliCommand = {
  name: 'assets',
  usage: `${usage}`,
  summary: 'your asset library: list, add, show, rename, tag, delete and search (text, similar, style)',
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    const handler = sub === undefined ? undefined : SUBCOMMANDS[sub];
    if (!handler) {
      const known = Object.keys(SUBCOMMANDS).join(', ');
      const what = sub === undefined ? 'Missing the assets subcommand' : `Unknown assets subcommand "${sub}"`;
      throw new UserError('invalid_arguments', `${what} (one of ${known}). Usage:\n  ${usage}`);
    }
    return handler(parseCommandArgs(rest, OPTIONS, usage), ctx);
  },
};

const SUBCOMMANDS: Record<string, Subcommand> = {
  async list(parsed, ctx) {
    const kind = stringOption(parsed.values, 'kind');
    if (kind !== undefined && !['image', 'audio', 'character_reference'].includes(kind))
      throw new UserError('invalid_kind', `--kind must be image, audio or character_reference; got "${kind}".`);
    const tags = listOption(parsed, 'tag');
    if (tags.length > 1) throw new UserError('invalid_arguments', 'assets list takes one --tag.');
    const limit = numberOption(parsed.values, 'limit', 'invalid_limit');
    const app = await ctx.open();
    const assets = await app.service.listAssets(ctx.owner, {
      ...(kind ? { kind: kind as 'image' | 'audio' | 'character_reference' } : {}),
      ...(tags[0] ? { tag: tags[0] } : {}),
      ...(limit !== undefined ? { limit } : {}),
    });
    if (parsed.values.json) printJson(ctx, assets);
    else ctx.stdout.write(renderAssetList(assets));
    return 0;
  },

  async add(parsed, ctx) {
    const file = onePositional(parsed, 'the file to add', 1)[0] as string;
    const name = stringOption(parsed.values, 'name');
    const tags = listOption(parsed, 'tag');
    const bytes = await readInputFile(file);
    const app = await ctx.open();
    const kind = /\.(mp3|wav|m4a|ogg|flac)$/i.test(file) ? 'audio' : 'image';
    let asset = await app.service.addAsset(ctx.owner, { bytes, filename: basename(file) }, kind);
    if (name !== undefined) asset = await app.service.renameAsset(ctx.owner, asset.assetId, name);
    if (tags.length > 0) asset = await app.service.tagAsset(ctx.owner, asset.assetId, { add: tags });
    if (parsed.values.json) printJson(ctx, asset);
    else ctx.stdout.write(renderAssetView(asset));
    return 0;
  },

  async show(parsed, ctx) {
    const [assetId] = onePositional(parsed, 'the asset id', 1);
    const app = await ctx.open();
    const asset = await app.service.showAsset(ctx.owner, assetId as string);
    if (parsed.values.json) printJson(ctx, asset);
    else ctx.stdout.write(renderAssetView(asset));
    return 0;
  },

  async rename(parsed, ctx) {
    const [assetId, ...words] = parsed.positionals;
    const name = words.join(' ');
    if (!assetId || !name.trim())
      throw new UserError('missing_argument', `Missing the asset id or the new name. Usage:\n  ${usage}`);
    const app = await ctx.open();
    const asset = await app.service.renameAsset(ctx.owner, assetId, name);
    if (parsed.values.json) printJson(ctx, asset);
    else ctx.stdout.write(`Renamed ${asset.assetId} to "${asset.name}".\n`);
    return 0;
  },

  async tag(parsed, ctx) {
    const [assetId] = onePositional(parsed, 'the asset id', 1);
    const add = listOption(parsed, 'add');
    const remove = listOption(parsed, 'remove');
    if (add.length === 0 && remove.length === 0)
      throw new UserError('missing_argument', 'Give at least one --add TAG or --remove TAG.');
    const app = await ctx.open();
    const asset = await app.service.tagAsset(ctx.owner, assetId as string, { add, remove });
    if (parsed.values.json) printJson(ctx, asset);
    else ctx.stdout.write(`Tags of ${asset.assetId}: ${asset.tags.join(', ') || '(none)'}\n`);
    return 0;
  },

  async delete(parsed, ctx) {
    const [assetId] = onePositional(parsed, 'the asset id', 1);
    const app = await ctx.open();
    const deleted = await app.service.deleteAsset(ctx.owner, assetId as string);
    if (parsed.values.json) printJson(ctx, deleted);
    else ctx.stdout.write(`Deleted asset ${deleted.assetId}.\n`);
    return 0;
  },

  async search(parsed, ctx) {
    onePositional(parsed, '', 0);
    const query = searchQuery(parsed);
    const limit = numberOption(parsed.values, 'limit', 'invalid_limit');
    const minScore = numberOption(parsed.values, 'min-score', 'invalid_min_score');
    const app = await ctx.open();
    const result = await app.service.searchAssets(ctx.owner, query, {
      ...(limit !== undefined ? { limit } : {}),
      ...(minScore !== undefined ? { minScore } : {}),
    });
    if (parsed.values.json) printJson(ctx, result);
    else ctx.stdout.write(renderAssetSearch(result));
    return 0;
  },
};

/** Exactly one of `--text`, `--similar`, `--style` (a comma-separated id list). */
function searchQuery(parsed: ParsedCommand): AssetSearchQuery {
  const text = stringOption(parsed.values, 'text');
  const similar = stringOption(parsed.values, 'similar');
  const style = stringOption(parsed.values, 'style');
  const given = [text, similar, style].filter((value) => value !== undefined).length;
  if (given !== 1)
    throw new UserError(
      given === 0 ? 'empty_query' : 'invalid_arguments',
      'Search with exactly one of --text QUERY, --similar ASSET_ID or --style ID,ID…',
    );
  if (text !== undefined) return { text };
  if (similar !== undefined) return { similarTo: similar };
  return {
    styleOf: (style as string)
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
  };
}

function onePositional(parsed: ParsedCommand, what: string, count: 0 | 1): string[] {
  if (parsed.positionals.length === count) return parsed.positionals;
  if (parsed.positionals.length < count) throw new UserError('missing_argument', `Missing ${what}. Usage:\n  ${usage}`);
  throw new UserError('invalid_arguments', `Unexpected argument "${parsed.positionals[count]}". Usage:\n  ${usage}`);
}

function listOption(parsed: ParsedCommand, name: string): string[] {
  const raw = (parsed.values as Record<string, unknown>)[name];
  if (raw === undefined) return [];
  return (Array.isArray(raw) ? raw : [raw]).map(String);
}
