/**
 * The known name a misspelt one most likely meant (`duration` → `duration_seconds`, `videoId` → `video_id`),
 * or undefined when none is close (case, `_` and `-` are ignored; at most 2 edits).
 */
export function closestName(key: string, known: string[]): string | undefined {
  const wanted = normalise(key);
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const candidate = normalise(name);
    const distance = nameDistance(wanted, candidate);
    if (distance <= 2 && distance < wanted.length / 2 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/**
 * 0–0.5 when one name starts the other (`duration` → `duration_seconds`), 0.5–1 when it sits inside
 * it (`id` is too short to count), otherwise the edit distance; closer lengths rank first.
 */
function nameDistance(a: string, b: string): number {
  const lengthGap = Math.abs(a.length - b.length) / 100;
  if (Math.min(a.length, b.length) >= 3) {
    if (a.startsWith(b) || b.startsWith(a)) return lengthGap;
    if (a.includes(b) || b.includes(a)) return 0.5 + lengthGap;
  }
  return editDistance(a, b);
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
