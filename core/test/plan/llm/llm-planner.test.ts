import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getFlavor } from '../../../src/flavors/catalog.js';
import { type AdPlan, loadBeatLibrary, type Plan, validatePlan } from '../../../src/plan/index.js';
import { type FakeOpenAI, startFakeOpenAI } from '../../../src/testing/fake-openai/index.js';
import { API_KEY, captureLog, luxuryAdDraft, MODEL, messageText, plannerFor } from './helpers.js';

const library = loadBeatLibrary();
const request = { prompt: 'A luxury watch ad, black and gold', durationS: 30 };

function adPlan(plan: Plan): AdPlan {
  if (plan.mode !== 'ad') throw new Error(`expected an ad plan, got ${plan.mode}`);
  return plan;
}

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await startFakeOpenAI({ apiKey: API_KEY });
});
afterEach(async () => {
  await fake.close();
});

describe('createPlanner with an LLM: ads', () => {
  it('turns a valid structured answer into the plan, beats as the model chose them, start times computed', async () => {
    fake.enqueue({ json: luxuryAdDraft() });
    const { log } = captureLog();

    const result = await plannerFor(fake, log).plan(request);

    expect(result.source).toBe('llm');
    expect(result.fallbackReason).toBeUndefined();
    const plan = adPlan(result.plan);
    expect(validatePlan(plan, library).ok).toBe(true);
    expect(plan).toMatchObject({ mode: 'ad', prompt: request.prompt, durationS: 30, archetype: 'luxury_showcase' });
    expect(plan.beats.map((beat) => [beat.id, beat.startS, beat.durationS])).toEqual([
      ['mystery_tease', 0, 5],
      ['hero_shot', 5, 10],
      ['detail_showcase', 15, 10],
      ['logo_reveal', 25, 5],
    ]);
    expect(plan.style.palette).toEqual(['#0b0b0b', '#d4af37']);
  });

  it('completes each beat from the library and the flavor like the rule planner does', async () => {
    fake.enqueue({ json: luxuryAdDraft() });
    const flavor = getFlavor('default');

    const plan = adPlan((await plannerFor(fake, captureLog().log).plan(request)).plan);

    const detail = plan.beats[2];
    expect(detail).toMatchObject({ title: 'Detail showcase', shotType: 'macro', action: 'reveal_details' });
    expect(detail?.cameraMovement).toBe('dolly_in');
    expect(detail?.directionPrompt).toBe('Macro shot, reveal details, camera dollies in');
    expect(detail?.prompt).toMatch(/^The engraved dial and sapphire crystal of the Aurum watch, /);
    expect(detail?.prompt).toContain('high-end luxury look, low-key golden light');
    expect(detail?.prompt.endsWith(flavor.prompts.beat.suffix)).toBe(true);
    expect(plan.negativePrompt).toBe(flavor.prompts.beat.negative);
    expect(plan.flavor).toBe('default');
  });

  it('sends one chat-completions request carrying the json schema, the model name, the rules and the beat library', async () => {
    fake.enqueue({ json: luxuryAdDraft() });

    await plannerFor(fake, captureLog().log).plan({ ...request, flavor: 'cinematic' });

    expect(fake.requests).toHaveLength(1);
    const [sent] = fake.requests;
    expect(sent?.path).toBe('/v1/chat/completions');
    expect(sent?.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent?.body?.model).toBe(MODEL);
    const format = sent?.body?.response_format;
    expect(format?.type).toBe('json_schema');
    expect(format?.json_schema?.name).toBe('ad_plan');
    const schema = format?.json_schema?.schema as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(['archetype', 'product', 'beats', 'style', 'audio']);
    expect(JSON.stringify(schema.properties.beats)).toContain('[5,10,15]');
    const [system, user] = sent?.body?.messages ?? [];
    expect(system?.role).toBe('system');
    const rules = messageText(system);
    expect(rules).toContain('exactly 30 seconds');
    expect(rules).toContain('5, 10 or 15 seconds');
    expect(rules).toContain('One valid split: 10 + 10 + 10 = 30');
    expect(rules).toMatch(/- hero_shot \| Hero shot \| shot close_up \| camera dolly_in \| opening/);
    expect(rules).toMatch(/- luxury_showcase \| Luxury showcase \| suggested beats: mystery_tease, hero_shot/);
    expect(rules).toContain('Look: anamorphic cinematic film look');
    expect(messageText(user)).toContain(request.prompt);
  });

  it('asks for one repair when the beats miss the duration, sending the issues back, and uses the repaired plan', async () => {
    const short = luxuryAdDraft();
    short.beats = short.beats.slice(0, 3);
    fake.enqueue({ json: short }, { json: luxuryAdDraft() });
    const { log, records } = captureLog();

    const result = await plannerFor(fake, log).plan(request);

    expect(result.source).toBe('llm');
    expect(adPlan(result.plan).beats).toHaveLength(4);
    expect(fake.requests).toHaveLength(2);
    const messages = fake.requests[1]?.body?.messages ?? [];
    expect(messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(JSON.parse(messageText(messages[2]))).toEqual(short);
    const repair = messageText(messages[3]);
    expect(repair).toContain('beats add up to 25 s but the video is 30 s');
    expect(repair).toContain('add up to exactly 30 seconds');
    expect(records().some((record) => record.msg === 'LLM plan is invalid; asking the model to repair it')).toBe(true);
  });

  it('asks for a repair of an unknown beat id and of an unknown archetype', async () => {
    const invented = luxuryAdDraft();
    invented.archetype = 'space_opera';
    invented.beats[1] = { ...luxuryAdDraft().beats[1]!, id: 'flying_unicorn' };
    fake.enqueue({ json: invented }, { json: luxuryAdDraft() });

    const result = await plannerFor(fake, captureLog().log).plan(request);

    expect(result.source).toBe('llm');
    const repair = messageText(fake.requests[1]?.body?.messages.at(-1));
    expect(repair).toContain('beats[1].id: unknown beat "flying_unicorn"');
    expect(repair).toContain('archetype: unknown archetype "space_opera"');
  });

  it('asks for a repair when the answer breaks the schema (a 7-second beat)', async () => {
    const odd = luxuryAdDraft() as unknown as { beats: Array<{ durationS: number }> };
    (odd.beats[0] as { durationS: number }).durationS = 7;
    fake.enqueue({ json: odd }, { json: luxuryAdDraft() });

    const result = await plannerFor(fake, captureLog().log).plan(request);

    expect(result.source).toBe('llm');
    expect(fake.requests).toHaveLength(2);
    expect(messageText(fake.requests[1]?.body?.messages.at(-1))).toContain('beats[0].durationS');
  });

  it('shows the product as in the reference image on the first beat when the person gave one', async () => {
    fake.enqueue({ json: luxuryAdDraft() });

    const plan = adPlan((await plannerFor(fake, captureLog().log).plan({ ...request, hasImage: true })).plan);

    expect(plan.beats[0]?.prompt).toContain('matching the reference image of the Aurum watch');
    expect(plan.beats[1]?.prompt).not.toContain('reference image');
    expect(messageText(fake.requests[0]?.body?.messages[0])).toContain('reference image of the product');
  });
});
