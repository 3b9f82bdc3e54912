import { describe, expect, it } from 'vitest';
import { deferOpen } from '../src/startup/deferred-open.js';

/** An open the test finishes by hand. */
function heldOpen() {
  let finish: (value: string) => void = () => {};
  let opens = 0;
  const released: string[] = [];
  const open = () => {
    opens += 1;
    return new Promise<string>((resolve) => {
      finish = resolve;
    });
  };
  return {
    open,
    release: async (value: string) => void released.push(value),
    finish: (v: string) => finish(v),
    opens: () => opens,
    released,
  };
}

describe('deferOpen: the app opened in the background', () => {
  it('opens nothing until start() or get(), and only once for many callers', async () => {
    const held = heldOpen();
    const deferred = deferOpen(held.open, held.release);
    expect(held.opens()).toBe(0);
    deferred.start();
    deferred.start();
    const both = Promise.all([deferred.get(), deferred.get()]);
    held.finish('app');
    expect(await both).toEqual(['app', 'app']);
    expect(held.opens()).toBe(1);
    expect(await deferred.close()).toBe(true);
    expect(held.released).toEqual(['app']);
  });

  it('gives up waiting for an open in flight after graceMs, and releases it when it finishes', async () => {
    const held = heldOpen();
    const deferred = deferOpen(held.open, held.release);
    deferred.start();
    expect(await deferred.close(20)).toBe(false);
    expect(held.released).toEqual([]);
    held.finish('late app');
    await expect.poll(() => held.released).toEqual(['late app']);
    await expect(deferred.get()).rejects.toThrow('closed');
  });

  it('closes at once when nothing was opened', async () => {
    const held = heldOpen();
    expect(await deferOpen(held.open, held.release).close(20)).toBe(true);
    expect(held.opens()).toBe(0);
  });
});
