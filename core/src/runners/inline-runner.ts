import type { PipelineDeps } from '../pipeline/context.js';
import { executeWork, type Work } from '../pipeline/execute.js';
import type { Runner } from './types.js';

/**
 * Runs work in this process, no Redis needed (CLI, MCP on a laptop). Works of one video run one
 * after another; different videos run side by side, bounded by the pipeline's provider limits.
 */
export function createInlineRunner(deps: PipelineDeps): Runner {
  const tails = new Map<string, Promise<void>>();
  const controllers = new Map<string, AbortController>();
  let closed = false;

  const controllerFor = (videoId: string) => {
    let controller = controllers.get(videoId);
    if (!controller || controller.signal.aborted) {
      controller = new AbortController();
      controllers.set(videoId, controller);
    }
    return controller;
  };

  return {
    kind: 'inline',
    async submit(work: Work) {
      if (closed) throw new Error('The runner is closed');
      const controller = controllerFor(work.videoId);
      const previous = tails.get(work.videoId) ?? Promise.resolve();
      const next = previous
        .then(() => {
          if (controller.signal.aborted) return;
          return executeWork(deps, work, controller.signal);
        })
        .catch((error: unknown) => {
          if (!controller.signal.aborted) deps.log.error({ err: error, videoId: work.videoId }, 'inline work crashed');
        });
      tails.set(work.videoId, next);
      void next.finally(() => {
        if (tails.get(work.videoId) === next) {
          tails.delete(work.videoId);
          if (controllers.get(work.videoId) === controller) controllers.delete(work.videoId);
        }
      });
    },
    async cancel(videoId) {
      controllers.get(videoId)?.abort(new DOMException('The video was cancelled', 'AbortError'));
      await tails.get(videoId);
    },
    async settled(videoId) {
      while (tails.has(videoId)) await tails.get(videoId);
    },
    async close() {
      closed = true;
      for (const controller of controllers.values()) controller.abort(new DOMException('Shutting down', 'AbortError'));
      await Promise.all([...tails.values()]);
    },
  };
}
