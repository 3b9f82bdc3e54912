import { type Owner, UserError, type VideoService, type VideoView } from '@reelsmith/core';

/** The `Render for $X` button of a preview's final card: X is what the render would cost. */
export interface RenderOffer {
  usd: number;
  /** `Render for $0.42`. */
  label: string;
}

/**
 * What a video's final card offers to render: a ready preview on a deployment with a paid provider
 * gets `Render for $X`, X from `estimateRender` (the same amount the render's budget check and
 * approval threshold use). Nothing otherwise, and nothing on a deployment with only the animatic:
 * nobody in the chat can add a provider, so a button that could never work is left out rather
 * than shown disabled on every card (Slack has no disabled buttons either); the card already says
 * what the video would cost, and the start message says the animatic stands in.
 */
export async function renderOffer(
  service: VideoService,
  owner: Owner,
  view: VideoView,
): Promise<RenderOffer | undefined> {
  if (!view.preview || view.status !== 'ready') return undefined;
  try {
    const estimate = await service.estimateRender(owner, view.videoId);
    return { usd: estimate.totalUsd, label: `Render for $${estimate.totalUsd.toFixed(2)}` };
  } catch (error) {
    // no_paid_provider, or a preview that changed since (its next event shows it again).
    if (error instanceof UserError) return undefined;
    throw error;
  }
}

/** The presser's answer once `render` made (or found) the paid video: which one, and where it goes on. */
export function renderAnswer(view: VideoView): string {
  const video = `video \`${view.videoId}\``;
  const cost = `≈ $${view.cost.estimatedUsd.toFixed(2)}`;
  if (view.status === 'awaiting_approval')
    return `Rendering as ${video} (${cost}): it waits for your approval in this channel.`;
  if (view.status === 'ready') return `This preview is already rendered: ${video}.`;
  return `Rendering as ${video} (${cost}); progress is posted in this channel.`;
}

/** The note on a new video's start message about the animatic: a free preview asked for, or the only provider here. */
export function previewNote(view: Pick<VideoView, 'preview'>, paidDeployment: boolean): string {
  if (!view.preview) return '';
  return paidDeployment
    ? ' (a free animatic preview: its final card offers the paid render)'
    : ' (animatic preview: no Replicate token is set)';
}
