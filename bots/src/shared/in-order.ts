/**
 * Runs tasks per key one after another, in the order they were given: a video's messages change in
 * order while other videos' go on in parallel. A failed task does not stop the ones after it.
 */
export function createKeyedSequencer() {
  const chains = new Map<string, Promise<void>>();
  return (key: string, task: () => Promise<void>): Promise<void> => {
    const next = (chains.get(key) ?? Promise.resolve()).catch(() => {}).then(task);
    chains.set(key, next);
    void next
      .finally(() => {
        if (chains.get(key) === next) chains.delete(key);
      })
      .catch(() => {});
    return next;
  };
}
