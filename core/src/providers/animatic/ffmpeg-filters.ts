import { mediaBinaries } from '../../media/binaries.js';
import { runFfprobe } from '../../media/run-ffprobe.js';

const filtersByBinary = new Map<string, Promise<ReadonlySet<string>>>();

/**
 * True when the resolved ffmpeg (`mediaBinaries()`) has the filter `name`. The list is read once per
 * binary (`ffmpeg -filters`) and memoised; a binary that cannot list its filters is taken to have none
 * this time (not memoised), so callers fall back to their portable path. Listing takes milliseconds
 * and is shared by concurrent callers, so it takes no abort signal.
 */
export async function ffmpegHasFilter(name: string): Promise<boolean> {
  const binary = mediaBinaries().ffmpeg;
  let filters = filtersByBinary.get(binary);
  if (!filters) {
    filters = listFilters(binary);
    filtersByBinary.set(binary, filters);
  }
  return (await filters).has(name);
}

async function listFilters(binary: string): Promise<ReadonlySet<string>> {
  const names = new Set<string>();
  const output = await runFfprobe(binary, ['-hide_banner', '-filters']).catch(() => undefined);
  if (output?.code !== 0) {
    filtersByBinary.delete(binary);
    return names;
  }
  for (const line of output.stdout.split('\n')) {
    const match = /^\s*[A-Z.|]{3}\s+(\S+)\s+\S+->\S+/.exec(line);
    if (match?.[1]) names.add(match[1]);
  }
  return names;
}
