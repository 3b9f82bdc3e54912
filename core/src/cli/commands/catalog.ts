import { planScenes } from '../../plan/index.js';
import { numberOption, parseCommandArgs, requiredPositional, stringOption } from '../args.js';
import { type CliCommand, printJson } from '../context.js';

const planUsage =
  'reelsmith plan <prompt> [--duration S] [--mode ad|music_video] [--character TEXT] [--flavor NAME] [--json]';
export const planCommand: CliCommand = {
  name: 'plan',
  usage: planUsage,
  summary: 'show the plan (beats or scenes, style, music) a prompt would get; costs nothing',
  async run(argv, ctx) {
    const parsed = parseCommandArgs(
      argv,
      {
        duration: { type: 'string', short: 'd' },
        mode: { type: 'string' },
        character: { type: 'string' },
        flavor: { type: 'string' },
      },
      planUsage,
    );
    const prompt = requiredPositional(parsed, 'the prompt', planUsage);
    const plan = await ctx.catalog().plan({
      prompt,
      durationS: numberOption(parsed.values, 'duration', 'invalid_duration'),
      mode: stringOption(parsed.values, 'mode') as 'ad' | 'music_video' | undefined,
      characterDescription: stringOption(parsed.values, 'character'),
      flavor: stringOption(parsed.values, 'flavor'),
    });
    if (parsed.values.json) {
      printJson(ctx, plan);
      return 0;
    }
    const head = plan.mode === 'ad' ? `archetype ${plan.archetype}` : `character: ${plan.characterDescription}`;
    ctx.stdout.write(`${plan.mode}, ${plan.durationS} s, ${head}\n`);
    ctx.stdout.write(`style: ${plan.style.look}; palette ${plan.style.palette.join(' ')}\n`);
    ctx.stdout.write(`music: ${plan.audio.style}, ${plan.audio.mood}, ${plan.audio.tempoBpm} BPM\n`);
    for (const scene of planScenes(plan)) {
      ctx.stdout.write(
        `  ${scene.index + 1}. ${scene.startS}–${scene.startS + scene.durationS} s  ${scene.title} [${scene.cameraMovement}]\n     ${scene.prompt}\n`,
      );
    }
    return 0;
  },
};

const modelsUsage = 'reelsmith models [--json]';
export const modelsCommand: CliCommand = {
  name: 'models',
  usage: modelsUsage,
  summary: 'list the models in the registry with their chunk lengths and prices',
  async run(argv, ctx) {
    const parsed = parseCommandArgs(argv, {}, modelsUsage);
    const models = ctx.catalog().listModels();
    if (parsed.values.json) {
      printJson(ctx, models);
      return 0;
    }
    for (const model of models) {
      const lengths = model.chunkDurationS
        ? `${model.chunkDurationS} s`
        : model.allowedDurationsS
          ? `${model.allowedDurationsS.join('|')} s`
          : '';
      ctx.stdout.write(
        `${model.kind.padEnd(8)} ${model.key.padEnd(18)} ${model.replicateId.padEnd(40)} ${lengths.padEnd(12)} $${model.cost.usd}/${model.cost.unit}\n`,
      );
    }
    return 0;
  },
};

const flavorsUsage = 'reelsmith flavors [--json]';
export const flavorsCommand: CliCommand = {
  name: 'flavors',
  usage: flavorsUsage,
  summary: 'list the prompt flavors',
  async run(argv, ctx) {
    const parsed = parseCommandArgs(argv, {}, flavorsUsage);
    const flavors = ctx.catalog().listFlavors();
    if (parsed.values.json) printJson(ctx, flavors);
    else for (const flavor of flavors) ctx.stdout.write(`${flavor.name.padEnd(12)} ${flavor.description}\n`);
    return 0;
  },
};

const estimateUsage = 'reelsmith estimate <prompt> [--duration S] [--model KEY] [--mode M] [--json]';
export const estimateCommand: CliCommand = {
  name: 'estimate',
  usage: estimateUsage,
  summary: 'what a video would cost on the chosen models, before anything is paid',
  async run(argv, ctx) {
    const parsed = parseCommandArgs(
      argv,
      { duration: { type: 'string', short: 'd' }, model: { type: 'string' }, mode: { type: 'string' } },
      estimateUsage,
    );
    const prompt = requiredPositional(parsed, 'the prompt', estimateUsage);
    const durationS = numberOption(parsed.values, 'duration', 'invalid_duration');
    const model = stringOption(parsed.values, 'model');
    const mode = stringOption(parsed.values, 'mode') as 'ad' | 'music_video' | undefined;
    const estimate = await ctx.catalog().estimate({
      prompt,
      ...(durationS !== undefined ? { durationS } : {}),
      ...(model !== undefined ? { model } : {}),
      ...(mode !== undefined ? { mode } : {}),
    });
    if (parsed.values.json) {
      printJson(ctx, estimate);
      return 0;
    }
    for (const line of estimate.lines) {
      ctx.stdout.write(
        `  ${line.kind.padEnd(7)} ${line.model.padEnd(14)} ${String(line.quantity).padStart(6)} ${line.unit.padEnd(7)} $${line.usd.toFixed(4)}\n`,
      );
    }
    ctx.stdout.write(
      `Total on ${estimate.model}: $${estimate.totalUsd.toFixed(2)}; charged now: $${estimate.chargedUsd.toFixed(2)} (${estimate.provider})\n`,
    );
    return 0;
  },
};
