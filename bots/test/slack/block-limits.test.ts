import type { SceneView, VideoView } from '@reelsmith/core';
import { describe, expect, it } from 'vitest';
import { MAX_PROMPT_CHARS } from '../../../core/src/plan/plan-request.js';
import { planVideo } from '../../../core/src/plan/rule-planner.js';
import { describeModels } from '../../../core/src/service/catalog.js';
import { testRegistry } from '../../../core/test/helpers/pipeline.js';
import { sceneCardModel } from '../../src/shared/scene-card.js';
import { readyBroadcast, sceneCard, videoCard } from '../../src/slack/blocks.js';
import { createVideoModal, editPromptModal } from '../../src/slack/views.js';
import { messageProblems, viewProblems } from '../../src/testing/fake-slack/index.js';

const STATUSES = ['queued', 'planning', 'generating', 'awaiting_approval', 'ready', 'failed', 'cancelled'] as const;

/**
 * Every message the app sends for a 120 s video planned by the real planner from the longest
 * prompt allowed, with the worst text everywhere (prompts at their limit, markup characters that
 * get escaped, nine versions of each scene, long failure messages), through Slack's checks.
 */
describe('Block Kit limits for a 120 s video with many scenes', () => {
  const longPrompt = `<b>&</b> ${'a neon-lit ramen bar in the rain & steam <rising> '.repeat(60)}`.slice(
    0,
    MAX_PROMPT_CHARS,
  );
  const plan = planVideo({ prompt: longPrompt, durationS: 120 });
  if (plan.mode !== 'ad') throw new Error('an ad plan expected');
  const scenes: SceneView[] = plan.beats.map((scene, i) => ({
    index: i + 1,
    startS: scene.startS,
    durationS: scene.durationS,
    prompt: `${scene.prompt} ${'<&> '.repeat(500)}`.slice(0, MAX_PROMPT_CHARS),
    status: 'ready',
    currentVersion: 9,
    versions: Array.from({ length: 9 }, (_, i) => ({
      version: i + 1,
      kind: i === 8 ? 'lipsync' : 'generate',
      status: i % 3 === 1 ? 'failed' : 'succeeded',
      prompt: scene.prompt,
      model: 'hailuo',
      costUsd: 0.27,
      ...(i % 3 === 1 ? { error: 'x'.repeat(3000) } : {}),
    })),
    clip: { key: `u/videos/v/scenes/${i + 1}/clip.mp4`, url: `https://cdn.example.com/${'c'.repeat(2000)}.mp4` },
    storyboard: null,
    message: `The newest version failed: ${'model said no & <why> '.repeat(200)}`,
  }));
  const view = (status: (typeof STATUSES)[number]): VideoView => ({
    videoId: '3f2a1b4c-0000-4000-8000-000000000001',
    status,
    mode: 'ad',
    prompt: longPrompt,
    provider: 'replicate',
    preview: false,
    previewOf: null,
    audio: true,
    model: 'hailuo',
    flavor: 'cinematic',
    durationS: 120,
    progress: 48,
    message: `Needs approval: ${'this costs a lot & more <really> '.repeat(200)}`,
    queuePosition: 12,
    etaS: 4000,
    scenesReady: 11,
    work: null,
    error: status === 'failed' ? { code: 'x', message: 'failed & <badly> '.repeat(500) } : null,
    final: { key: 'u/videos/v/final.mp4', url: `https://cdn.example.com/${'f'.repeat(2000)}.mp4` },
    contactSheet: null,
    take: { number: 99, durationS: 120, file: null },
    scenes,
    cost: { estimatedUsd: 123.45, actualUsd: 99.99, wouldCostUsd: 123.45 },
    createdAt: new Date().toISOString(),
  });
  const link = { permalink: `https://fake.slack.com/files/U/F/${'n'.repeat(500)}.mp4`, name: `${'n'.repeat(500)}.mp4` };

  it('plans many scenes from the longest prompt (the case worth checking)', () => {
    expect(scenes.length).toBeGreaterThanOrEqual(8);
  });

  it.each(STATUSES)('the video card while %s', (status) => {
    const card = videoCard(view(status), link);
    expect(messageProblems(card)).toEqual([]);
    expect(card.blocks.length).toBeLessThanOrEqual(5);
  });

  it('every scene card, with and without its clip, and the broadcast', () => {
    const ready = view('ready');
    for (const scene of ready.scenes) {
      for (const clip of [link, { note: 'x'.repeat(3000) }, undefined]) {
        const card = sceneCard(ready.videoId, sceneCardModel(ready, scene), clip);
        expect(messageProblems(card)).toEqual([]);
      }
    }
    expect(messageProblems(readyBroadcast(ready, link))).toEqual([]);
  });

  it('the create form and the Edit prompt form (prefilled with the longest prompt)', async () => {
    const [real] = describeModels(await testRegistry()).filter((model) => model.kind === 'video');
    if (!real) throw new Error('the registry has video models');
    const models = Array.from({ length: 150 }, (_, i) => ({
      ...real,
      key: `model-${i}-${'k'.repeat(100)}`,
      label: 'l'.repeat(200),
    }));
    const flavors = Array.from({ length: 150 }, (_, i) => ({ name: `flavor-${i}`, description: 'd', files: [] }));
    expect(viewProblems(createVideoModal({ channelId: 'C1' }, models, flavors))).toEqual([]);
    expect(
      viewProblems(editPromptModal({ videoId: view('ready').videoId, scene: 24, channelId: 'C1' }, longPrompt)),
    ).toEqual([]);
  });
});
