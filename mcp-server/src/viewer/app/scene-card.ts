import type { MediaRef } from '../viewer-meta.js';
import type { MediaSources } from './media-sources.js';
import type { ViewerScene } from './video-shape.js';

/** Asks for a new version of a scene; resolves with a message to show when it was refused. */
export type Regenerate = (scene: number, prompt?: string) => Promise<string | undefined>;

export interface SceneCard {
  element: HTMLElement;
  update(scene: ViewerScene, media: { clip: MediaRef | null; storyboard: MediaRef | null }, revisable: boolean): void;
}

/**
 * One scene's card, cloned from `<template id="scene-card">`: its clip (storyboard as poster), number,
 * version, cost, prompt, and Regenerate / Edit prompt, which call `regenerate_scene` through the host.
 */
export function createSceneCard(
  template: HTMLTemplateElement,
  sceneNumber: number,
  sources: MediaSources,
  regenerate: Regenerate,
): SceneCard {
  const element = (template.content.firstElementChild as HTMLElement).cloneNode(true) as HTMLElement;
  element.dataset.scene = String(sceneNumber);
  const part = <T extends HTMLElement>(selector: string) => element.querySelector(selector) as T;
  const clip = part<HTMLVideoElement>('.clip');
  const regenerateButton = part<HTMLButtonElement>('.regenerate');
  const editButton = part<HTMLButtonElement>('.edit');
  const form = part<HTMLFormElement>('.edit-form');
  const textarea = part<HTMLTextAreaElement>('textarea');
  const problem = part<HTMLElement>('.scene-error');
  part<HTMLElement>('.number').textContent = `Scene ${sceneNumber}`;
  let busy = false;
  let revisable = false;
  let currentPrompt = '';

  const setBusy = (value: boolean) => {
    busy = value;
    for (const button of element.querySelectorAll('button')) button.disabled = busy || !revisable;
    element.classList.toggle('busy', busy);
  };
  const run = async (prompt?: string) => {
    problem.hidden = true;
    setBusy(true);
    try {
      const refused = await regenerate(sceneNumber, prompt);
      if (refused) {
        problem.textContent = refused;
        problem.hidden = false;
      } else {
        form.hidden = true;
      }
    } catch (error) {
      problem.textContent = `The host could not call regenerate_scene: ${error instanceof Error ? error.message : error}`;
      problem.hidden = false;
    } finally {
      setBusy(false);
    }
  };

  regenerateButton.addEventListener('click', () => void run());
  editButton.addEventListener('click', () => {
    form.hidden = !form.hidden;
    if (!form.hidden) {
      textarea.value = currentPrompt;
      textarea.focus();
    }
  });
  part<HTMLButtonElement>('.cancel').addEventListener('click', () => {
    form.hidden = true;
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void run(textarea.value);
  });

  return {
    element,
    update(scene, media, canRevise) {
      revisable = canRevise;
      currentPrompt = scene.prompt;
      const version = scene.versions.find((candidate) => candidate.version === scene.current_version);
      part<HTMLElement>('.version').textContent =
        scene.current_version === null ? 'no clip yet' : `v${scene.current_version}`;
      part<HTMLElement>('.cost').textContent = `$${(version?.cost_usd ?? 0).toFixed(2)}`;
      part<HTMLElement>('.state').textContent = scene.status;
      part<HTMLElement>('.prompt').textContent = scene.prompt;
      const latest = scene.versions.at(-1);
      part<HTMLElement>('.note').textContent = latest?.error ?? scene.message ?? '';
      sources.attach(clip, 'src', media.clip);
      sources.attach(clip, 'poster', media.storyboard);
      setBusy(busy);
    },
  };
}
