import type { VideoEvent } from '../events/types.js';

const WIDTH = 28;

/**
 * A one-line progress bar on a TTY stream (stderr), redrawn per event; nothing at all when the
 * stream is not a terminal, so piped output and `--json` stay clean.
 */
export function createProgressBar(stream: NodeJS.WriteStream) {
  const enabled = stream.isTTY === true;
  let last = '';
  return {
    update(event: VideoEvent) {
      if (!enabled) return;
      const filled = Math.round((event.percent / 100) * WIDTH);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
      const note = event.sceneIndex ? ` scene ${event.sceneIndex}` : '';
      const line = `${bar} ${String(event.percent).padStart(3)}% ${event.stage}${note}`;
      if (line === last) return;
      last = line;
      stream.write(`\r\x1b[2K${line}`);
    },
    done() {
      if (enabled && last) stream.write('\n');
      last = '';
    },
  };
}
